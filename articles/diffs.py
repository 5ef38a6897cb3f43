import difflib
import re

from .models import Article

COMPARED_FIELDS = ["title", "lead", "body"]


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


def changes_since(version, article):
    """What differs between a stored revision and the article as it is now, field by field."""
    stored = version.field_dict
    return [
        {
            "label": Article._meta.get_field(name).verbose_name,
            "pieces": word_changes(stored.get(name) or "", getattr(article, name)),
        }
        for name in COMPARED_FIELDS
        if (stored.get(name) or "") != getattr(article, name)
    ]
