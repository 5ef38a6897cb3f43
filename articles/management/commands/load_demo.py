from django.core.management import BaseCommand, call_command

from articles.models import Article

DEMO_FIXTURES = ["sections", "people", "articles"]


class Command(BaseCommand):
    help = "Laster demoinnholdet (seksjoner, personer, artikler) hvis databasen er tom."

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
        call_command("loaddata", *DEMO_FIXTURES, verbosity=options["verbosity"])
