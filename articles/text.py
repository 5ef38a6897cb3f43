"""What text readers may be shown, and the addresses made from it.

One rule for every field a reader can see, whichever way the text arrives (admin, importer,
loaddata): line breaks from word processors become line breaks (a space in single-line
fields); other control characters, lone surrogates and noncharacters are refused, naming the
character and the field.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from taggit.utils import split_strip
from unidecode import unidecode

ALLOWED_CONTROLS = {"\n", "\t"}


def norwegian_slugify(text, max_length=None):
    """ASCII slug that keeps Norwegian letters readable: æ→ae, ø→o, å→a ("bånd" → "band")."""
    # Validation may ask for the slug of a name it is about to refuse; unidecode warns about
    # surrogates, so only acceptable characters are transliterated.
    slug = slugify(unidecode(mend_text(text or "", multiline=False)))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def oslo_time(moment):
    """`12. september 2023 kl. 14.05` in the site's time zone, as templates/includes/time.html
    writes it; spelled out, as every teaser shows it: Django's date format took a tenth of a
    teaser's render."""
    local = timezone.localtime(moment)
    month = MONTHS[local.month]
    return f"{local.day}. {month} {local.year:04d} kl. {local.hour:02d}.{local.minute:02d}"


def unique_slug(model, text, *, fallback, exclude_pk=None, max_length=200):
    """A slug from ``text`` that no other row has; ``fallback`` when nothing of it is left."""
    base = norwegian_slugify(text, max_length=max_length - 5) or fallback
    candidate, counter = base, 2
    while model._default_manager.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def normalise_text(text, *, multiline):
    """Every line break Python knows (CRLF, CR, vertical tab, form feed, U+2028, U+2029 …) as
    "\\n"; in single-line fields, line breaks and tabs as spaces."""
    line_end = "\n" if multiline else " "
    lines = []
    for line in text.splitlines(keepends=True):
        [content] = line.splitlines()
        lines.append(content if content == line else content + line_end)
    normalised = "".join(lines)
    return normalised if multiline else normalised.replace("\t", " ")


def is_noncharacter(character):
    code = ord(character)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def describe_refused(character):
    """How a refused character is named to an editor, or None if it is acceptable."""
    code = f"U+{ord(character):04X}"
    category = unicodedata.category(character)
    if category == "Cc" and character not in ALLOWED_CONTROLS:
        return f"kontrolltegn {code}"
    if category == "Cs":
        return f"halvt surrogatpar {code}"
    if is_noncharacter(character):
        return f"ikke-tegn {code}"
    return None


def first_refused(text):
    """(position from 1, description) of the first character readers cannot be shown, or None."""
    for position, character in enumerate(text, start=1):
        if description := describe_refused(character):
            return position, description
    return None


def mend_text(text, *, multiline):
    """``text`` normalised and with every refused character dropped: for repairing stored rows."""
    normalised = normalise_text(text, multiline=multiline)
    return "".join(character for character in normalised if not describe_refused(character))


def accept_text(text, *, label, multiline):
    """``text`` as stored; a ValidationError naming the field and the character if refused."""
    text = normalise_text(text, multiline=multiline)
    if refused := first_refused(text):
        position, description = refused
        raise ValidationError(
            _(
                "%(field)s inneholder et tegn som ikke kan vises for leserne: %(character)s "
                "(tegn nr. %(position)s). Fjern det."
            ),
            code="refused_character",
            params={"field": capfirst(label), "character": description, "position": position},
        )
    return text


def reader_text_fields(model):
    """The text fields of ``model`` that readers see (not slugs, e-mail, choices or generated)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField)
        and field.editable
        and not field.choices
    ]


def accept_reader_text(instance):
    """Normalise every reader-visible text field of ``instance`` in place; ValidationError with
    an entry per field that holds a refused character."""
    errors = {}
    for field in reader_text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        try:
            setattr(
                instance,
                field.attname,
                accept_text(
                    value,
                    label=field.verbose_name,
                    multiline=isinstance(field, models.TextField),
                ),
            )
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)


class ReaderText(models.Model):
    """Form and model validation refuse what readers cannot be shown, next to the field."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            accept_reader_text(self)
        except ValidationError as error:
            errors = {
                name: messages
                for name, messages in error.message_dict.items()
                if not exclude or name not in exclude
            }
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def tag_names_from_string(text):
    """TAGGIT_TAGS_FROM_STRING: tags are separated by commas only, so quotes stay in a name
    («Sa "nei" til EU» is one tag)."""
    return sorted(set(split_strip(text or "", ",")))


def string_from_tags(tags):
    """TAGGIT_STRING_FROM_TAGS: the names as ``tag_names_from_string`` reads them back."""
    return ", ".join(sorted(tag.name for tag in tags))
