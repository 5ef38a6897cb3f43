import argparse
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from taggit.models import Tag
from taggit.utils import parse_tags

from articles import services
from articles.importing import Outcome, import_article_file
from articles.models import Person
from articles.plaintext import PlainTextError
from articles.text import accept_text

# Exit statuses above 125 mean something else to a shell (126, 127, signals).
MAX_EXIT_STATUS = 125
DRY_RUN_VERBS = {
    Outcome.CREATED: "ville blitt opprettet",
    Outcome.UPDATED: "ville blitt oppdatert",
    Outcome.UNCHANGED: "uendret",
}


def aware_datetime(value):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"ugyldig tidspunkt «{value}»; bruk ISO 8601, for eksempel 2023-09-12T14:05"
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def refuse_too_long(option, names, max_length):
    for name in names:
        if len(name) > max_length:
            raise CommandError(f"{option}: «{name[:40]}…» er lengre enn {max_length} tegn.")


def accepted_names(option, names):
    """The names as they are stored (articles/text.py); a refused character stops the import."""
    try:
        return [accept_text(name, label=option, multiline=False) for name in names]
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None


class Command(BaseCommand):
    help = (
        "Importerer artikler fra tekstfiler (formatet er beskrevet i docs/plaintext-format.md). "
        "En fil som importeres på nytt, oppdaterer artikkelen den laget."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FIL", help="Tekstfiler i UTF-8.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publiser artiklene. Uten dette blir nye artikler kladder, "
            "og artikler som finnes, beholder statusen sin.",
        )
        parser.add_argument(
            "--published-at",
            type=aware_datetime,
            metavar="TIDSPUNKT",
            help="Publiseringstidspunkt (ISO 8601, norsk tid hvis sone mangler); "
            "et tidspunkt fram i tid planlegger publiseringen. Krever --publish.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="BRUKERNAVN",
            help="Kontoen som importerer og publiserer (i publiseringsloggen som «publisert "
            "av»). Kreves med --publish, og kontoen må ha lov til å publisere.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overskriv endringer gjort i administrasjonen etter forrige import.",
        )
        parser.add_argument(
            "--byline",
            action="append",
            default=[],
            metavar="NAVN",
            help="Byline, i rekkefølge (kan gis flere ganger). Ukjente personer opprettes.",
        )
        parser.add_argument(
            "--tags", default="", metavar="STIKKORD", help="Kommaseparerte stikkord."
        )
        parser.add_argument(
            "--create-sections",
            action="store_true",
            help="Opprett seksjoner som ikke finnes (ellers avvises filen).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kontroller og vis hva som ville skjedd, uten å lagre noe.",
        )

    def handle(self, *args, files, dry_run, **options):
        if options["published_at"] and not options["publish"]:
            raise CommandError("--published-at krever --publish.")
        by = self._importer(options["username"], publish=options["publish"])
        tag_names = accepted_names("--tags", parse_tags(options["tags"]))
        byline_names = accepted_names("--byline", options["byline"])
        refuse_too_long("--byline", byline_names, Person._meta.get_field("name").max_length)
        refuse_too_long("--tags", tag_names, Tag._meta.get_field("name").max_length)
        counts = Counter()
        for number, path in enumerate(files, start=1):
            prefix = f"[{number}/{len(files)}] {path}"
            try:
                result = import_article_file(
                    path=path,
                    publish=options["publish"],
                    published_at=options["published_at"],
                    by=by,
                    byline_names=byline_names,
                    tag_names=tag_names,
                    create_sections=options["create_sections"],
                    force=options["force"],
                    dry_run=dry_run,
                )
            except PlainTextError as error:
                counts["failed"] += 1
                where = f", linje {error.line}" if error.line else ""
                self.stderr.write(self.style.ERROR(f"{prefix}{where}: {error.message}"))
                continue
            except DatabaseError as error:
                # The file's transaction was rolled back; the next file gets a fresh one.
                counts["failed"] += 1
                self.stderr.write(
                    self.style.ERROR(
                        f"{prefix}: databasefeil, ingenting ble lagret fra filen ({error})"
                    )
                )
                continue
            counts[result.outcome] += 1
            verb = DRY_RUN_VERBS[result.outcome] if dry_run else result.outcome.value
            line = f"{prefix}: {verb} «{result.article.title}» ({result.article.slug})"
            if result.new_section:
                line += f"; ny seksjon «{result.new_section.name}»"
            self.stdout.write(line)
        self._summarise(counts, total=len(files), dry_run=dry_run)

    def _importer(self, username, *, publish):
        if username is None:
            if publish:
                raise CommandError(
                    "--publish krever --as BRUKERNAVN: kontoen som publiserer, "
                    "slik at publiseringsloggen viser hvem som publiserte."
                )
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: fant ingen aktiv konto med brukernavnet «{username}».")
        if publish and not services.can_publish(user):
            raise CommandError(f"--as: «{username}» har ikke lov til å publisere artikler.")
        return user

    def _summarise(self, counts, *, total, dry_run):
        failed = counts["failed"]
        summary = (
            f"{total} {'fil' if total == 1 else 'filer'}: "
            f"{counts[Outcome.CREATED]} opprettet, {counts[Outcome.UPDATED]} oppdatert, "
            f"{counts[Outcome.UNCHANGED]} uendret, {failed} feilet."
        )
        if dry_run:
            summary = f"Prøvekjøring, ingenting er lagret. {summary}"
        self.stdout.write(summary)
        if failed:
            raise CommandError(
                f"{failed} av {total} filer kunne ikke importeres; "
                "ingenting ble lagret fra dem (se meldingene over).",
                returncode=min(failed, MAX_EXIT_STATUS),
            )
