"""Plain-text files to articles, one file per transaction (docs/plaintext-format.md)."""

import contextlib
import enum
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import freshness, services
from .models import Article, Byline, Person, Section
from .plaintext import PlainTextError, decode, parse
from .text import norwegian_slugify

try:
    import reversion
except ImportError:  # revisions come with the editorial workflow; importing works without
    reversion = None

IMPORT_KEY_MAX_LENGTH = Article._meta.get_field("import_key").max_length
# What an editor may have changed since the last import, as the refusal names it.
FIELD_NAMES = {
    "section": "seksjon",
    "title": "tittel",
    "lead": "ingress",
    "body": "brødtekst",
    "bylines": "bylines",
    "tags": "stikkord",
}


class EditedSinceImport(PlainTextError):
    def __init__(self, fields):
        names = ", ".join(FIELD_NAMES[field] for field in fields)
        super().__init__(
            f"artikkelen er endret i administrasjonen etter forrige import ({names}), og "
            "importen ville overskrevet det; importer med --force for å overskrive likevel"
        )
        self.fields = fields


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
    """The file's bytes; one over ``IMPORT_MAX_BYTES`` is refused before it is read."""
    limit = settings.IMPORT_MAX_BYTES
    too_big = PlainTextError(
        f"filen er større enn {limit / 1_000_000:g} MB ({limit} byte), grensen for én artikkel"
    )
    try:
        if Path(path).stat().st_size > limit:
            raise too_big
        with Path(path).open("rb") as file:
            # Read at most one byte past the limit, in case the file grew since stat().
            data = file.read(limit + 1)
        if len(data) > limit:
            raise too_big
        return data
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
    by=None,
    byline_names=(),
    tag_names=(),
    create_sections=False,
    force=False,
    dry_run=False,
):
    """Create or update the article a file holds; writes nothing if anything is wrong.

    Raises PlainTextError (with a line number where one applies). ``publish`` goes through
    the publishing services as ``by``, who needs the publish permission. An article edited
    in the admin since its last import is refused (EditedSinceImport) unless ``force``.
    ``dry_run`` does all the work, including the checks the database makes, and then rolls
    it back.
    """
    key = import_key_for(path)
    if len(key) > IMPORT_KEY_MAX_LENGTH:
        raise PlainTextError(f"filnavnet er lengre enn {IMPORT_KEY_MAX_LENGTH} tegn")
    parsed = parse(decode(read_file(path)))
    _check_body(parsed.body)
    with transaction.atomic(), _recorded_revision(f"Importert fra {Path(path).name}", by):
        section, new_section = _section_named(parsed.section, create=create_sections)
        article = Article.objects.filter(import_key=key).first() or Article(import_key=key)
        adding = article._state.adding
        people = [_person_named(name) for name in byline_names]
        imported = _imported_fields(section, parsed, people, tag_names)
        if not adding and not force:
            _refuse_overwriting_edits(article, imported)
        changed = _apply(
            article, section=section, title=parsed.title, lead=parsed.lead, body=parsed.body
        )
        if changed:
            if adding:
                article.created_by = by
            article.last_edited_by = by or article.last_edited_by
            article.save()
        if people:
            changed |= _set_bylines(article, people)
        if tag_names:
            changed |= _set_tags(article, tag_names)
        if publish:
            published = _publish(article, by=by, at=published_at)
            if published is not None:
                article, changed = published, True
        if article.import_snapshot != imported:
            Article.objects.filter(pk=article.pk).update(import_snapshot=imported)
        if dry_run:
            transaction.set_rollback(True)
    outcome = Outcome.CREATED if adding else Outcome.UPDATED if changed else Outcome.UNCHANGED
    return ImportResult(article=article, outcome=outcome, new_section=new_section)


@contextlib.contextmanager
def _recorded_revision(comment, by):
    if reversion is None or not reversion.is_registered(Article):
        yield
        return
    with reversion.create_revision():
        reversion.set_comment(comment)
        if by is not None:
            reversion.set_user(by)
        yield


def _imported_fields(section, parsed, people, tag_names):
    """What this import sets, as stored in ``Article.import_snapshot``."""
    fields = {
        "section": section.pk,
        "title": parsed.title,
        "lead": parsed.lead,
        "body": parsed.body,
    }
    if people:
        fields["bylines"] = [person.pk for person in dict.fromkeys(people)]
    if tag_names:
        fields["tags"] = sorted({name.lower() for name in tag_names})
    return fields


def _current_fields(article, names):
    values = {
        "section": lambda: article.section_id,
        "title": lambda: article.title,
        "lead": lambda: article.lead,
        "body": lambda: article.body,
        "bylines": lambda: list(article.byline_set.values_list("person_id", flat=True)),
        "tags": lambda: sorted({name.lower() for name in article.tags.names()}),
    }
    return {name: values[name]() for name in names}


def _refuse_overwriting_edits(article, imported):
    """Fields changed since the last import that this import would change again."""
    last = article.import_snapshot
    current = _current_fields(article, [name for name in imported if name in last])
    lost = [
        name for name, value in current.items() if value != last[name] and value != imported[name]
    ]
    if lost:
        raise EditedSinceImport(lost)


def _publish(article, *, by, at):
    """Publish or schedule through the services; None when the article already is so."""
    now = timezone.now()
    if at is None and article.status == Article.Status.PUBLISHED:
        return None
    if at is None and article.published_at is not None and article.published_at <= now:
        at = article.published_at  # published before and taken down: back at the same time
    if at is not None and at > now:
        if article.is_scheduled and article.published_at == at:
            return None
        return services.schedule_article(article=article, by=by, at=at)
    if article.is_published and article.published_at == at:
        return None
    return services.publish_article(article=article, by=by, at=at)


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
    section = Section(name=name, slug=slug, position=last + 1)
    try:
        section.full_clean()  # the admin's rules, such as the addresses the site keeps for itself
    except ValidationError as error:
        reasons = " ".join(str(message) for message in error.messages)
        raise PlainTextError(f"seksjonen «{name}» kan ikke opprettes: {reasons}", line=1) from None
    section.save()
    return section, section


def _check_body(body):
    """The admin form's rules for a body (its maximum length), before anything is written."""
    try:
        Article._meta.get_field("body").run_validators(body)
    except ValidationError as error:
        raise PlainTextError(" ".join(error.messages)) from None


def _person_named(name):
    person = Person.objects.filter(name__iexact=name).order_by("pk").first()
    return person or Person.objects.create(name=name)


def _apply(article, *, section, title, lead, body):
    """Set the file's content on the article; True if anything changed."""
    wanted = {"section_id": section.pk, "title": title, "lead": lead, "body": body}
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
