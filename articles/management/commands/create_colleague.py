from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from articles import services
from articles.accounts import password_link_days, password_set_path
from articles.forms import ColleagueForm
from articles.models import Person


class Command(BaseCommand):
    help = (
        "Legger til en medarbeider: innlogging med tilgang til redaksjonen, rolle og byline i "
        "ett steg, og skriver ut lenken medarbeideren velger passord med (docs/newsroom.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="BRUKERNAVN")
        parser.add_argument("--first-name", required=True, metavar="FORNAVN")
        parser.add_argument("--last-name", required=True, metavar="ETTERNAVN")
        parser.add_argument("--email", required=True, metavar="E-POST")
        parser.add_argument(
            "--role", required=True, choices=services.NEWSROOM_ROLES, metavar="ROLLE",
            help="Journalist eller Redaktør.",
        )  # fmt: skip
        parser.add_argument(
            "--byline",
            metavar="NAVN",
            help="En eksisterende byline (person) uten innlogging. Uten dette lages en ny "
            "byline med for- og etternavnet.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            metavar="ADRESSE",
            help="Nettstedets adresse foran lenken, for eksempel https://www.dagsavisen.no.",
        )

    def handle(self, *args, username, byline, site_url, **options):
        person = None
        if byline:
            person = Person.objects.filter(name__iexact=byline, user=None).first()
            if person is None:
                raise CommandError(f"Fant ingen byline «{byline}» uten innlogging.")
        form = ColleagueForm(
            {
                "username": username,
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "email": options["email"],
                "role": options["role"],
                "person": person.pk if person else "",
            }
        )
        if not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                if name in form.fields
                else " ".join(errors)
                for name, errors in form.errors.items()
            )
            raise CommandError(f"Ingen medarbeider ble lagt til. {problems}")
        try:
            colleague = services.create_colleague(by=None, **form.cleaned_data)
        except ValidationError as error:
            raise CommandError(
                f"Ingen medarbeider ble lagt til. {' '.join(error.messages)}"
            ) from None
        self.stdout.write(
            f"{colleague.get_full_name()} ({colleague.username}) er lagt til som "
            f"{options['role']} med bylinen «{colleague.person.name}»."
        )
        self.stdout.write(
            f"Lenke for å velge passord (virker én gang, i {password_link_days()} dager):\n"
            f"{site_url.rstrip('/')}{password_set_path(colleague)}"
        )
