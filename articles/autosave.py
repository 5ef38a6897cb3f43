"""A journalist's work kept while she types, as her own private draft copy (AutosavedDraft):
never the article, so readers, the publication state, revisions and the stale-save check are
untouched. Only she reads, restores or discards her copy."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .models import BODY_MAX_LENGTH, AutosavedDraft
from .services import can_edit
from .text import mend_text

LIMITS = {"title": 255, "lead": 10_000, "body": BODY_MAX_LENGTH, "lead_image_caption": 2_000}


class AutosaveNotAllowed(PermissionDenied):
    pass


def _allowed(user, article):
    if article is None:
        return user.is_active and user.has_perm("articles.add_article")
    return can_edit(user, article)


def _token(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def autosave_draft(*, user, article, text, loaded_edit_token=None):
    """Keep ``text`` (form field name -> value) as ``user``'s draft of ``article`` (None for a
    new one). Refuses a text longer than the article could hold, and a user who may not edit it.
    """
    if not _allowed(user, article):
        raise AutosaveNotAllowed("Du har ikke tilgang til å redigere denne artikkelen.")
    values = {}
    for field in AutosavedDraft.FIELDS:
        value = mend_text(str(text.get(field) or ""), multiline=field != "title")
        if len(value) > LIMITS[field]:
            raise ValidationError(
                f"Teksten er for lang til å lagres automatisk ({len(value)} tegn, høyst "
                f"{LIMITS[field]}). Kort den ned."
            )
        values[field] = value
    draft, _created = AutosavedDraft.objects.update_or_create(
        user=user,
        article=article,
        defaults={
            **values,
            "loaded_edit_token": _token(loaded_edit_token),
            "saved_at": timezone.now(),
        },
    )
    return draft


def discard_draft(*, user, article):
    """Throw away ``user``'s draft of ``article`` (None: of her new, unsaved article)."""
    AutosavedDraft.objects.filter(user=user, article=article).delete()


def draft_to_offer(*, user, article):
    """Her draft of ``article`` if it holds something the article does not; else None."""
    if not user.is_authenticated:
        return None
    draft = AutosavedDraft.objects.filter(user=user, article=article).first()
    if draft is None:
        return None
    if article is not None and all(
        getattr(draft, field) == getattr(article, field) for field in AutosavedDraft.FIELDS
    ):
        return None
    return draft


def draft_data(draft):
    """What the restore button fills the form with."""
    return {
        **{field: getattr(draft, field) for field in AutosavedDraft.FIELDS},
        "loaded_edit_token": str(draft.loaded_edit_token or ""),
    }
