from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import BaseCommand, call_command

from articles.models import Article, Image

DEMO_FIXTURES = ["sections", "people", "images", "articles"]
DEMO_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"


def copy_demo_media():
    """Put the demo photos where the images fixture expects them (local disk or bucket)."""
    for path in sorted(DEMO_MEDIA.rglob("*")):
        name = path.relative_to(DEMO_MEDIA).as_posix()
        if path.is_file() and not default_storage.exists(name):
            with path.open("rb") as source:
                default_storage.save(name, File(source))


class Command(BaseCommand):
    help = "Laster demoinnholdet (seksjoner, personer, bilder, artikler) hvis databasen er tom."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Last inn på nytt og overskriv demoartiklene."
        )

    def handle(self, *args, force=False, **options):
        if Article.objects.exists() and not force:
            self.stdout.write(
                "Databasen har allerede artikler; demoinnholdet lastes ikke på nytt."
            )
            return
        copy_demo_media()
        *library, articles = DEMO_FIXTURES
        call_command("loaddata", *library, verbosity=options["verbosity"])
        # Before the articles, whose stored body HTML places these photos with their
        # renditions (loaddata skips Image.save(), and pages never make them).
        for image in Image.objects.all():
            image.ensure_renditions()
        call_command("loaddata", articles, verbosity=options["verbosity"])
