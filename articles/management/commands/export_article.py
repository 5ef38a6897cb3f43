from pathlib import Path

from django.core.management import BaseCommand, CommandError

from articles.importing import import_key_for
from articles.markup import render_body
from articles.models import Article
from articles.plaintext import PlainTextError, format_article, parse


class Command(BaseCommand):
    help = (
        "Skriver en artikkel som ren tekst i formatet import_articles leser "
        "(docs/plaintext-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument(
            "-o", "--output", metavar="FIL", help="Skriv til FIL i stedet for til standard ut."
        )

    def handle(self, *args, slug, output, **options):
        article = Article.objects.select_related("section").filter(slug=slug).first()
        if article is None:
            raise CommandError(f"Fant ingen artikkel med slug «{slug}».")
        text = format_article(
            section=article.section.name, title=article.title, lead=article.lead, body=article.body
        )
        if output is None:
            self.stdout.write(text, ending="")
        else:
            self._write(Path(output), text)
            self.stderr.write(f"Skrev «{article.title}» til {output}.")
            if article.import_key and import_key_for(output) != article.import_key:
                self.stderr.write(
                    f"Merk: artikkelen ble importert fra «{article.import_key}». Bare en fil "
                    f"som heter {article.import_key}.txt, oppdaterer den ved ny import."
                )
        if not self._reimports_unchanged(article, text):
            self.stderr.write(
                self.style.WARNING(
                    "Advarsel: brødteksten har formatering (uthevinger, lenker, lister) eller "
                    "mellomtitler og avsnitt som tekstformatet ikke kan uttrykke; en import av "
                    "eksporten blir ikke helt lik artikkelen (se docs/plaintext-format.md)."
                )
            )

    def _write(self, path, text):
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Kan ikke skrive til {path}: {error.strerror}.") from None

    def _reimports_unchanged(self, article, text):
        try:
            parsed = parse(text)
        except PlainTextError:
            return False
        return (
            parsed.title == article.title
            and parsed.lead == article.lead
            and render_body(parsed.body) == article.body_html
        )
