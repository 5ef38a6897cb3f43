from django.core.management import BaseCommand, CommandError

from articles.demo import create_demo_accounts, demo_accounts_allowed, describe_demo_accounts


class Command(BaseCommand):
    help = (
        "Lager demojournalisten og demoredaktøren (bare i utvikling) og skriver ut passordene "
        "deres; med --reset får de nye passord."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Gi kontoene nye passord.")

    def handle(self, *args, reset=False, **options):
        if not demo_accounts_allowed():
            raise CommandError(
                "Demokontoer lages bare i utvikling (DEMO_ACCOUNTS er av i disse innstillingene)."
            )
        given = create_demo_accounts(reset=reset)
        if not given:
            self.stdout.write("Demokontoene finnes allerede. Nye passord: --reset.")
        for line in describe_demo_accounts(given):
            self.stdout.write(line)
