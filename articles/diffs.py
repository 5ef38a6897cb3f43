import difflib
import re

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from .models import Article, Byline, Image, Person, RelatedLink

TEXT_FIELDS = ["title", "lead", "body", "lead_image_caption"]


def word_changes(old, new):
    """``(kind, text)`` pieces turning ``old`` into ``new``; kind is same, removed or added."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(old_words[old_start:old_end])))
            continue
        if old_end > old_start:
            pieces.append(("removed", "".join(old_words[old_start:old_end])))
        if new_end > new_start:
            pieces.append(("added", "".join(new_words[new_start:new_end])))
    return pieces


def item_changes(old, new):
    """Like ``word_changes``, for lists of names: each name is kept, removed or added whole."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    items = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            items.extend(("same", name) for name in old[old_start:old_end])
            continue
        items.extend(("removed", name) for name in old[old_start:old_end])
        items.extend(("added", name) for name in new[new_start:new_end])
    pieces = []
    for item in items:
        if pieces:
            pieces.append(("same", ", "))
        pieces.append(item)
    return pieces


def _differences(pairs):
    """``pairs`` of (label, old, new) that differ, as labelled changes; old and new are both
    texts (compared word by word) or both lists of names."""
    return [
        {
            "label": label,
            "pieces": item_changes(old, new) if isinstance(old, list) else word_changes(old, new),
        }
        for label, old, new in pairs
        if old != new
    ]


def _label(name):
    return Article._meta.get_field(name).verbose_name


def _image_name(image_id, images):
    image = images.get(image_id)
    return (
        f"{image} (bilde {image_id})"
        if image
        else ("" if image_id is None else f"bilde {image_id}")
    )


def _stored(version, model):
    content_type = ContentType.objects.get_for_model(model)
    return [
        stored.field_dict
        for stored in version.revision.version_set.all()
        if stored.content_type_id == content_type.pk
    ]


def changes_since(version, article):
    """What differs between a stored revision and the article now: text, photo, tags,
    bylines and related links, so a restore never takes anything away unseen."""
    stored = version.field_dict
    images = Image.objects.in_bulk([stored.get("lead_image_id"), article.lead_image_id])
    object_id = str(article.pk)
    tag_ids = [
        item["tag_id"]
        for item in _stored(version, TaggedItem)
        if str(item["object_id"]) == object_id
    ]
    tags = Tag.objects.in_bulk(tag_ids)
    bylines = sorted(
        (item for item in _stored(version, Byline) if item["article_id"] == article.pk),
        key=lambda item: (item["position"], item["id"]),
    )
    people = Person.objects.in_bulk([item["person_id"] for item in bylines])
    links = sorted(
        (item for item in _stored(version, RelatedLink) if item["from_article_id"] == article.pk),
        key=lambda item: (item["position"], item["id"]),
    )
    linked = Article.objects.in_bulk([item["to_article_id"] for item in links])
    now_links = RelatedLink.objects.filter(from_article=article).select_related("to_article")
    return _differences(
        [
            *(
                (_label(name), stored.get(name) or "", getattr(article, name))
                for name in TEXT_FIELDS
            ),
            (
                _label("lead_image"),
                _image_name(stored.get("lead_image_id"), images),
                _image_name(article.lead_image_id, images),
            ),
            (
                _label("tags"),
                sorted(tags[pk].name for pk in tag_ids if pk in tags),
                sorted(tag.name for tag in article.tags.all()),
            ),
            (
                _label("bylines"),
                [
                    people[item["person_id"]].name
                    for item in bylines
                    if item["person_id"] in people
                ],
                [person.name for person in article.ordered_bylines()],
            ),
            (
                _label("related"),
                [
                    linked[item["to_article_id"]].title
                    for item in links
                    if item["to_article_id"] in linked
                ],
                [link.to_article.title for link in now_links],
            ),
        ]
    )


def pending_differences(change):
    """What readers would see change if the editor approves ``change``."""
    article = change.article
    images = Image.objects.in_bulk([article.lead_image_id, change.lead_image_id])
    return _differences(
        [
            *(
                (_label(name), getattr(article, name), getattr(change, name))
                for name in TEXT_FIELDS
            ),
            (
                _label("lead_image"),
                _image_name(article.lead_image_id, images),
                _image_name(change.lead_image_id, images),
            ),
            (
                _label("tags"),
                sorted(tag.name for tag in article.tags.all()),
                sorted(change.tag_names),
            ),
        ]
    )
