from django.core.management import BaseCommand, call_command

from articles.demo import (
    DEMO_FIXTURES,
    create_demo_accounts,
    database_location,
    describe_demo_accounts,
)
from articles.models import Article, Section


class Command(BaseCommand):
    help = (
        "Laster demoinnholdet (seksjoner, personer, bilder, artikler) hvis databasen er tom, "
        "og lager en demojournalist og en demoredaktør i utvikling."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Last inn på nytt og overskriv demoartiklene."
        )

    def handle(self, *args, force=False, **options):
        if Article.objects.exists() and not force:
            self.stdout.write(
                "Databasen har allerede artikler; demoinnholdet lastes ikke på nytt."
            )
        else:
            # The photos' files and renditions come with them (articles.demo.demo_photo_loaded).
            call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
            self.stdout.write(
                f"Demoinnholdet er lastet: {Article.objects.published().count()} artikler i "
                f"{Section.objects.count()} seksjoner."
            )
        self.stdout.write(f"Database: {database_location()}")
        for line in describe_demo_accounts(create_demo_accounts()):
            self.stdout.write(line)
