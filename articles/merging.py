"""Merge instead of retyping: when a save is refused because a colleague saved in between, her
text and the colleague's are merged three ways from the version she opened.

The body is merged paragraph by paragraph (blocks separated by a blank line) with ``merge3``;
title and lead are merged as single units. Where only one of them changed a paragraph, that
change is kept; where both changed the same paragraph differently, she chooses.
"""

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from merge3 import Merge3
from reversion.models import Version

from .models import Article, Image, Section
from .text import normalise_text

MINE, THEIRS = "mine", "theirs"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
UNITS = ("title", "lead")
SNAPSHOT_SECONDS = 7 * 24 * 3600
# Fields outside the text: where her form and the saved article differ, she chooses which stays.
OTHER_FIELDS = {
    "section": "Seksjon",
    "lead_image": "Hovedbilde",
    "lead_image_caption": "Bildetekst",
    "tags": "Stikkord",
}


def paragraphs(text):
    """The blank-line separated blocks of ``text``, without the blank lines."""
    text = normalise_text(text or "", multiline=True).strip()
    return [block.strip() for block in PARAGRAPH_BREAK.split(text) if block.strip()]


def join_paragraphs(blocks):
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class Part:
    """A stretch of the text: the version she opened, hers and the colleague's."""

    kind: str  # unchanged, mine, theirs, same or conflict
    base: tuple
    mine: tuple
    theirs: tuple
    key: str = ""  # the name of her choice, for a conflict

    @property
    def is_conflict(self):
        return self.kind == "conflict"

    def resolved(self, choice=None):
        if self.kind in ("unchanged", "mine", "same"):
            return self.mine
        if self.kind == THEIRS:
            return self.theirs
        return self.mine if choice == MINE else self.theirs


def _part(base, mine, theirs):
    if mine == theirs:
        kind = "unchanged" if mine == base else "same"
    elif mine == base:
        kind = THEIRS
    elif theirs == base:
        kind = MINE
    else:
        kind = "conflict"
    return Part(kind, tuple(base), tuple(mine), tuple(theirs))


def _base_ranges(regions, base_length):
    """merge3's regions, each with the range of the base it stands for."""
    pending, start = [], 0
    for region in regions:
        if region[0] == "unchanged":
            yield from ((pending_region, (start, region[1])) for pending_region in pending)
            pending = []
            yield region, (region[1], region[2])
            start = region[2]
        else:
            pending.append(region)
    yield from ((pending_region, (start, base_length)) for pending_region in pending)


def merge_blocks(base, mine, theirs):
    """The parts of a three-way merge of paragraph lists, conflicts split per paragraph where
    both sides kept the same number of paragraphs (so neighbours edited by different people
    merge cleanly)."""
    parts = []
    regions = Merge3(base, mine, theirs).merge_regions()
    for region, (zstart, zend) in _base_ranges(regions, len(base)):
        kind = region[0]
        z = base[zstart:zend]
        if kind == "unchanged":
            parts.append(_part(z, z, z))
        elif kind == "same":
            parts.append(_part(z, mine[region[1] : region[2]], mine[region[1] : region[2]]))
        elif kind == "a":
            parts.append(_part(z, mine[region[1] : region[2]], z))
        elif kind == "b":
            parts.append(_part(z, z, theirs[region[1] : region[2]]))
        else:
            a, b = mine[region[3] : region[4]], theirs[region[5] : region[6]]
            if len(z) == len(a) == len(b):
                parts.extend(_part([x], [y], [w]) for x, y, w in zip(z, a, b, strict=True))
            else:
                parts.append(_part(z, a, b))
    return parts


class ChoiceMissing(ValidationError):
    pass


@dataclass
class TextMerge:
    """Title, lead and body merged; ``result()`` gives the text to save."""

    units: dict  # field name -> list of parts

    @classmethod
    def of(cls, *, base, mine, theirs):
        units = {field: [_part([base[field]], [mine[field]], [theirs[field]])] for field in UNITS}
        units["body"] = merge_blocks(
            paragraphs(base["body"]), paragraphs(mine["body"]), paragraphs(theirs["body"])
        )
        for field, parts in units.items():
            units[field] = [
                Part(part.kind, part.base, part.mine, part.theirs, f"{field}-{index}")
                if part.is_conflict
                else part
                for index, part in enumerate(parts)
            ]
        return cls(units)

    @property
    def conflicts(self):
        return [part for parts in self.units.values() for part in parts if part.is_conflict]

    @property
    def changed(self):
        return any(part.kind != "unchanged" for parts in self.units.values() for part in parts)

    def result(self, choices):
        """The merged title, lead and body; ``choices`` maps a conflict's key to MINE/THEIRS."""
        if any(choices.get(part.key) not in (MINE, THEIRS) for part in self.conflicts):
            raise ChoiceMissing(
                "Velg hvilken versjon du vil beholde for hvert avsnitt dere begge har endret. "
                "Ingenting er lagret."
            )
        merged = {
            field: [block for part in parts for block in part.resolved(choices.get(part.key))]
            for field, parts in self.units.items()
        }
        return {
            **{field: "".join(merged[field]) for field in UNITS},
            "body": join_paragraphs(merged["body"]),
        }


def texts(source):
    """Title, lead and body of an article, a stored version's fields or a POST."""
    get = source.get if hasattr(source, "get") else lambda name: getattr(source, name)
    return {
        field: normalise_text(get(field) or "", multiline=field != "title")
        for field in (*UNITS, "body")
    }


def digest(text):
    joined = "\x1f".join(text[field] for field in (*UNITS, "body"))
    return hashlib.sha256(joined.encode()).hexdigest()


def _snapshot_key(article_pk, edit_token):
    return f"merge-base:{article_pk}:{edit_token}"


def remember_opened(article):
    """Keep the text a form opened now starts from, for a version no revision holds (an
    article imported or loaded from fixtures)."""
    key = _snapshot_key(article.pk, article.edit_token)
    cache.add(key, texts(article), timeout=SNAPSHOT_SECONDS)


def opened_version(article, edit_token):
    """Title, lead and body as they were when the form with ``edit_token`` was opened: the
    stored revision whose save gave the article that token, else the snapshot taken when the
    form was opened. None if neither is found."""
    if not edit_token:
        return None
    versions = Version.objects.get_for_object(article).filter(
        serialized_data__contains=str(edit_token)
    )
    for version in versions:
        if str(version.field_dict.get("edit_token")) == str(edit_token):
            return texts(version.field_dict)
    return cache.get(_snapshot_key(article.pk, edit_token))


@dataclass(frozen=True)
class FieldDifference:
    """A field outside the text that differs between her form and the saved article."""

    name: str
    label: str
    mine: str
    theirs: str
    theirs_value: object  # the colleague's version as the form posts it (a list for tags)


def _saved_values(article):
    return {
        "section": str(article.section_id or ""),
        "lead_image": str(article.lead_image_id or ""),
        "lead_image_caption": article.lead_image_caption or "",
        "tags": sorted(article.tags.names()),
    }


def _posted_values(post):
    """Her form's values of the other fields; a field her form did not send is left out."""
    values = {field: post.get(field, "") for field in OTHER_FIELDS if field in post}
    # The tag picker sends the names one by one, and nothing at all when she removed them all.
    values["tags"] = sorted({name.strip() for name in post.getlist("tags") if name.strip()})
    if "lead_image_caption" in values:
        values["lead_image_caption"] = normalise_text(
            values["lead_image_caption"], multiline=True
        ).strip()
    return values


def field_differences(post, current):
    """Section, lead photo, caption and tags where her POST and the saved article differ."""
    theirs, mine = _saved_values(current), _posted_values(post)
    differing = [field for field in mine if mine[field] != theirs[field]]
    related = {"section": Section, "lead_image": Image}
    names = {
        field: {
            str(obj.pk): str(obj)
            for obj in model.objects.filter(
                pk__in=[v for v in (mine[field], theirs[field]) if v.isdigit()]
            )
        }
        for field, model in related.items()
        if field in differing
    }

    def shown(field, value):
        if field in names:
            return names[field].get(value, "")
        return ", ".join(value) if field == "tags" else value

    return [
        FieldDifference(
            name=field,
            label=OTHER_FIELDS[field],
            mine=shown(field, mine[field]),
            theirs=shown(field, theirs[field]),
            theirs_value=theirs[field],
        )
        for field in differing
    ]


@dataclass
class MergeOffer:
    """What the refused form shows: both sides' changes and the hidden fields of a merge."""

    merge: TextMerge
    colleague: str
    base_token: str
    current_token: str
    mine_digest: str
    base_found: bool
    field_differences: list

    @property
    def choices_needed(self):
        return bool(self.merge.conflicts or self.field_differences)

    @property
    def sections(self):
        labels = {"title": "Tittel", "lead": "Ingress", "body": "Brødtekst"}
        return [(labels[field], parts) for field, parts in self.merge.units.items()]


def colleague_name(article):
    editor = article.last_edited_by
    if editor is None:
        return "En kollega"
    person = getattr(editor, "person", None)
    return (person.name if person else "") or editor.get_full_name() or editor.get_username()


def offer(post, article_pk):
    """The merge of her POSTed text with the article as it is now, from the version she opened;
    None if the article is gone."""
    current = (
        Article.objects.select_related("last_edited_by__person").filter(pk=article_pk).first()
    )
    if current is None:
        return None
    base_token = post.get("merge_base_token") or post.get("loaded_edit_token") or ""
    base = opened_version(current, base_token)
    mine = texts(post)
    merge = TextMerge.of(
        base=base or {field: "" for field in (*UNITS, "body")}, mine=mine, theirs=texts(current)
    )
    return MergeOffer(
        merge=merge,
        colleague=colleague_name(current),
        base_token=base_token,
        current_token=str(current.edit_token),
        mine_digest=digest(mine),
        base_found=base is not None,
        field_differences=field_differences(post, current),
    )


def offer_for_refused_save(request, article):
    """A merge to show on a form refused because the article changed since it was opened."""
    if request.method != "POST" or article is None or article.pk is None:
        return None
    if getattr(request, "save_refused", None) is None:
        return None
    post = getattr(request, "unmerged_post", request.POST)
    if "_merge" not in post:
        current_token = Article.objects.filter(pk=article.pk).values_list("edit_token", flat=True)
        if str(current_token.first()) == post.get("loaded_edit_token"):
            return None  # refused for another reason than a colleague's save
    return offer(post, article.pk)


@contextmanager
def merged_form(request, object_id):
    """While the admin handles a «Lagre sammenslått tekst» POST, the form holds the merged text
    and the edit token she saw the merge with: the normal save, with its stale-save check, saves
    it. If that save is refused, the form is shown again with her own text."""
    if request.method != "POST" or "_merge" not in request.POST or not object_id:
        yield
        return
    post = request.POST
    shown = offer(post, object_id) if str(object_id).isdigit() else None
    if shown is None or shown.current_token != post.get("merge_edit_token"):
        # A third save came in after she saw the merge (or the article is gone): the normal
        # save refuses it, and the form shows the merge with the newest text.
        yield
        return
    if shown.mine_digest != post.get("merge_mine_digest"):
        raise ValidationError(
            "Teksten din er endret etter at sammenslåingen ble vist. Se over sammenslåingen "
            "under og lagre igjen. Ingenting er lagret."
        )
    choices = {part.key: post.get(f"merge_choice_{part.key}") for part in shown.merge.conflicts}
    merged = post.copy()
    for field, value in shown.merge.result(choices).items():
        merged[field] = value
    for difference in shown.field_differences:
        choice = post.get(f"merge_field_{difference.name}")
        if choice not in (MINE, THEIRS):
            raise ChoiceMissing(
                f"Velg hvilken versjon av feltet «{difference.label}» som skal stå. "
                "Ingenting er lagret."
            )
        if choice == THEIRS and difference.name == "tags":
            merged.setlist("tags", difference.theirs_value)
        elif choice == THEIRS:
            merged[difference.name] = difference.theirs_value
    merged["loaded_edit_token"] = shown.current_token
    merged["_continue"] = "1"
    request.unmerged_post, request.POST = post, merged
    try:
        yield
    except BaseException:
        request.POST = post
        raise
