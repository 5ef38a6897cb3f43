"""Plain-text files to articles, one file per transaction (docs/plaintext-format.md)."""

import contextlib
import enum
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Q

from . import freshness
from .models import Article, Byline, Person, Section
from .plaintext import PlainTextError, decode, parse
from .text import norwegian_slugify

try:
    import reversion
except ImportError:  # revisions come with the editorial workflow; importing works without
    reversion = None

IMPORT_KEY_MAX_LENGTH = Article._meta.get_field("import_key").max_length


class Outcome(enum.StrEnum):
    CREATED = "opprettet"
    UPDATED = "oppdatert"
    UNCHANGED = "uendret"


@dataclass(frozen=True)
class ImportResult:
    article: Article
    outcome: Outcome
    new_section: Section | None = None


def import_key_for(path):
    """The file name without its extension: the same file imported again finds its article."""
    return Path(path).stem


def read_file(path):
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise PlainTextError("filen finnes ikke") from None
    except IsADirectoryError:
        raise PlainTextError("dette er en mappe, ikke en fil") from None
    except PermissionError:
        raise PlainTextError("mangler tilgang til å lese filen") from None
    except OSError as error:
        raise PlainTextError(f"kan ikke lese filen ({error.strerror})") from None


def import_article_file(
    *,
    path,
    publish=False,
    published_at=None,
    byline_names=(),
    tag_names=(),
    create_sections=False,
    dry_run=False,
):
    """Create or update the article a file holds; writes nothing if anything is wrong.

    Raises PlainTextError (with a line number where one applies). ``dry_run`` does all the
    work, including the checks the database makes, and then rolls it back.
    """
    key = import_key_for(path)
    if len(key) > IMPORT_KEY_MAX_LENGTH:
        raise PlainTextError(f"filnavnet er lengre enn {IMPORT_KEY_MAX_LENGTH} tegn")
    parsed = parse(decode(read_file(path)))
    with transaction.atomic(), _recorded_revision(f"Importert fra {Path(path).name}"):
        section, new_section = _section_named(parsed.section, create=create_sections)
        article = Article.objects.filter(import_key=key).first() or Article(import_key=key)
        adding = article._state.adding
        changed = _apply(
            article,
            section=section,
            title=parsed.title,
            lead=parsed.lead,
            body=parsed.body,
            publish=publish,
            published_at=published_at,
        )
        if changed:
            article.save()
        if byline_names:
            changed |= _set_bylines(article, [_person_named(name) for name in byline_names])
        if tag_names:
            changed |= _set_tags(article, tag_names)
        if dry_run:
            transaction.set_rollback(True)
    outcome = Outcome.CREATED if adding else Outcome.UPDATED if changed else Outcome.UNCHANGED
    return ImportResult(article=article, outcome=outcome, new_section=new_section)


@contextlib.contextmanager
def _recorded_revision(comment):
    if reversion is None or not reversion.is_registered(Article):
        yield
        return
    with reversion.create_revision():
        reversion.set_comment(comment)
        yield


def _section_named(name, *, create):
    """The section called ``name`` (case-insensitively or by its slug), created if allowed."""
    slug = norwegian_slugify(name, max_length=100)
    if not slug:
        raise PlainTextError(f"seksjonsnavnet «{name}» kan ikke brukes i en adresse", line=1)
    section = Section.objects.filter(Q(name__iexact=name) | Q(slug=slug)).order_by("pk").first()
    if section:
        return section, None
    if not create:
        raise PlainTextError(
            f"ukjent seksjon «{name}»; opprett den i administrasjonen "
            "eller importer på nytt med --create-sections",
            line=1,
        )
    last = Section.objects.aggregate(last=Max("position"))["last"] or 0
    section = Section.objects.create(name=name, slug=slug, position=last + 1)
    return section, section


def _person_named(name):
    person = Person.objects.filter(name__iexact=name).order_by("pk").first()
    return person or Person.objects.create(name=name)


def _apply(article, *, section, title, lead, body, publish, published_at):
    """Set the file's content on the article; True if anything changed."""
    wanted = {"section_id": section.pk, "title": title, "lead": lead, "body": body}
    if publish:
        wanted["status"] = Article.Status.PUBLISHED
        if published_at is not None:
            wanted["published_at"] = published_at
    changed = article._state.adding
    for name, value in wanted.items():
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    return changed


def _set_bylines(article, people):
    people = list(dict.fromkeys(people))
    current = list(article.byline_set.values_list("person_id", flat=True))
    if current == [person.pk for person in people]:
        return False
    article.byline_set.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, person=person, position=position)
        for position, person in enumerate(people)
    )
    freshness.changed(Byline, article_ids=[article.pk])
    return True


def _set_tags(article, names):
    if set(article.tags.names()) == set(names):
        return False
    article.tags.set(names)
    return True
