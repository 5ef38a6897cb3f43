"""Which models django-reversion stores, and what an article's revision includes."""

import reversion
from taggit.models import Tag, TaggedItem

from .models import Article, Byline, RelatedLink


def register_revisioned_models():
    """Idempotent: called by the admin module (which loads first) and by the app's ready()."""
    # An article's revision carries its bylines, related links and tags, so a restore or the
    # recovery of a deleted article brings them back together. Update notes and corrections
    # are left out on purpose: restoring older text must never delete a public correction.
    registrations = [
        (Article, ["byline_set", "relatedlink_sources", "tagged_items"]),
        (Byline, []),
        (RelatedLink, []),
        (TaggedItem, ["tag"]),
        (Tag, []),
    ]
    for model, follow in registrations:
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
