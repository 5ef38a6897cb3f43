"""Every change to what readers can see goes through here: atomic, permission-checked, logged."""

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, ArticleUpdate, PendingChange, Person, PublicationEvent
from .text import oslo_time

PUBLISH_PERMISSION = "articles.publish_article"
BIN_PERMISSION = "articles.delete_article"


class NotAllowed(PermissionDenied):
    """A refusal the admin shows above the form, which keeps what was typed."""

    heading = "Ikke lagret: du har ikke tilgang"
    message = "Du har ikke tilgang til å gjøre dette med artikkelen."

    def __str__(self):
        return self.message


class PublishingNotAllowed(NotAllowed):
    message = (
        "Du har ikke tilgang til å publisere, planlegge eller avpublisere artikler. "
        "Ingenting er lagret, og artikkelen er ikke publisert."
    )


class ArrangingNotAllowed(NotAllowed):
    message = (
        "Du har ikke tilgang til å plassere saker på forsiden. Ingenting er lagret, og "
        "forsiden er som før."
    )


class StaleEdit(Exception):
    """Someone saved the article after the form was opened; nothing was saved."""

    heading = "Noen andre lagret artikkelen mens du hadde den åpen"

    def __init__(self, *, who, when):
        self.message = (
            f"{who} lagret artikkelen {oslo_time(when)}, etter at du åpnet den. Endringene dine "
            "er ikke lagret ennå, men står fortsatt i skjemaet. Se hva som er endret hos dere "
            "begge, og lagre på nytt."
        )
        super().__init__(self.message)

    def __str__(self):
        return self.message


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, article):
    """A journalist edits her own articles; an editor edits anyone's."""
    if not (user.is_active and user.has_perm("articles.change_article")):
        return False
    return (
        article.pk is None
        or user.has_perm("articles.edit_any_article")
        or article.created_by_id == user.pk
    )


def can_use_bin(user):
    return user.is_active and user.has_perm(BIN_PERMISSION)


def _lock(article):
    return Article.objects.select_for_update(of=("self",)).get(pk=article.pk)


def _log(*, article, action, by):
    return PublicationEvent.objects.create(
        article=article, action=action, by=by, at=timezone.now(), published_at=article.published_at
    )


def _save_revision(article, *, by, comment, update_fields):
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        article.save(update_fields=update_fields)


@transaction.atomic
def publish_article(*, article, by, at=None):
    """Make the article visible to readers now (or at a moment already passed)."""
    moment = at or timezone.now()
    if moment > timezone.now():
        raise ValidationError(
            "Publiseringstidspunktet er fram i tid. Bruk «Planlegg» for å publisere senere."
        )
    return _change_publication(
        article=article,
        by=by,
        status=Article.Status.PUBLISHED,
        published_at=moment,
        action=PublicationEvent.Action.PUBLISHED,
        comment=f"Publisert {oslo_time(moment)}.",
    )


@transaction.atomic
def schedule_article(*, article, by, at):
    """Publish at a future moment; ``Article.objects.published()`` hides it until then."""
    if at is None or at <= timezone.now():
        raise ValidationError("Tidspunktet for planlagt publisering må være fram i tid.")
    return _change_publication(
        article=article,
        by=by,
        status=Article.Status.PUBLISHED,
        published_at=at,
        action=PublicationEvent.Action.SCHEDULED,
        comment=f"Planlagt publisert {oslo_time(at)}.",
    )


@transaction.atomic
def unpublish_article(*, article, by):
    """Take the article off the site (or cancel its schedule); it becomes a draft."""
    return _change_publication(
        article=article,
        by=by,
        status=Article.Status.DRAFT,
        published_at=None,
        action=PublicationEvent.Action.UNPUBLISHED,
        comment="Avpublisert.",
    )


def _change_publication(*, article, by, status, published_at, action, comment):
    if not can_publish(by):
        raise PublishingNotAllowed
    # The row lock serialises this with a concurrent admin save of the same article; the
    # save rotates the edit token so any form opened before it is refused.
    locked = _lock(article)
    locked.status = status
    if published_at is not None:
        locked.published_at = published_at
    locked.published_by = by if status == Article.Status.PUBLISHED else None
    locked.last_edited_by = by
    _save_revision(
        locked,
        by=by,
        comment=comment,
        update_fields=["status", "published_at", "published_by", "last_edited_by"],
    )
    _log(article=locked, action=action, by=by)
    return locked


def _change_status(*, article, by, allowed, status, action, comment):
    locked = _lock(article)
    if locked.status != allowed:
        raise ValidationError(
            "Artikkelen har endret status i mellomtiden. Åpne den på nytt og prøv igjen."
        )
    locked.status = status
    locked.last_edited_by = by
    _save_revision(locked, by=by, comment=comment, update_fields=["status", "last_edited_by"])
    _log(article=locked, action=action, by=by)
    return locked


@transaction.atomic
def submit_article(*, article, by):
    """The journalist sends her draft to the desk: «Klar til vask»."""
    if not can_edit(by, article):
        raise NotAllowed
    return _change_status(
        article=article,
        by=by,
        allowed=Article.Status.DRAFT,
        status=Article.Status.SUBMITTED,
        action=PublicationEvent.Action.SUBMITTED,
        comment="Sendt til vask.",
    )


@transaction.atomic
def send_back_article(*, article, by):
    """An editor returns a submitted article to its journalist as a draft."""
    if not can_publish(by):
        raise PublishingNotAllowed
    return _change_status(
        article=article,
        by=by,
        allowed=Article.Status.SUBMITTED,
        status=Article.Status.DRAFT,
        action=PublicationEvent.Action.SENT_BACK,
        comment="Sendt tilbake til journalisten.",
    )


PUBLISHING = "publishing"


@transaction.atomic
def save_article(*, article, by, loaded_edit_token, intent=None, tag_names=None):
    """Save an edit made in a form opened when the article had ``loaded_edit_token``.

    Refuses a stale edit and one the user may not make. ``intent`` is ``PUBLISHING`` when the
    request asks to publish, schedule or unpublish. A user without the publish permission who
    edits a released article makes a pending change instead; readers keep the approved text.
    Returns the pending change then, otherwise None. The caller saves related objects after.
    """
    if not can_edit(by, article):
        raise NotAllowed
    if intent == PUBLISHING and not can_publish(by):
        raise PublishingNotAllowed
    if article.pk is not None:
        # Held until the caller's transaction ends, so nobody saves between check and save.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_edited_by")
            .only("edit_token", "modified_at", "status", "last_edited_by")
            .get(pk=article.pk)
        )
        if loaded_edit_token != current.edit_token:
            editor = current.last_edited_by
            who = (editor.get_full_name() or editor.get_username()) if editor else "En annen"
            raise StaleEdit(who=who, when=current.modified_at)
        if current.status == Article.Status.PUBLISHED and not can_publish(by):
            return _propose_change(article=article, by=by, tag_names=tag_names or [])
    else:
        article.created_by = by
    article.last_edited_by = by
    article.save()
    return None


def _propose_change(*, article, by, tag_names):
    values = {field: getattr(article, field) for field in PendingChange.FIELDS}
    change, _created = PendingChange.objects.update_or_create(
        article_id=article.pk,
        defaults={
            **values,
            "tag_names": tag_names,
            "proposed_by": by,
            "proposed_at": timezone.now(),
        },
    )
    return change


@transaction.atomic
def approve_change(*, change, by):
    """Put a journalist's pending change before readers; logged as approved by ``by``."""
    if not can_publish(by):
        raise PublishingNotAllowed
    locked = _lock(change.article)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    change.apply_to(locked)
    locked.last_edited_by = by
    proposer = change.proposed_by
    name = (proposer.get_full_name() or proposer.get_username()) if proposer else "en journalist"
    comment = f"Godkjent endring fra {name}."
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        locked.save()
        locked.tags.set(change.tag_names)
        reversion.add_to_revision(locked)  # again, now with its new tags
    _log(article=locked, action=PublicationEvent.Action.CHANGE_APPROVED, by=by)
    change.delete()
    return locked


@transaction.atomic
def reject_change(*, change, by):
    """Throw a pending change away; readers keep what they had."""
    if not can_publish(by):
        raise PublishingNotAllowed
    article = change.article
    PendingChange.objects.filter(pk=change.pk).delete()
    _log(article=article, action=PublicationEvent.Action.CHANGE_REJECTED, by=by)
    return article


@transaction.atomic
def move_to_bin(*, article, by):
    """Take the article off every public surface; everything of it is kept for a restore."""
    if not can_use_bin(by):
        raise NotAllowed
    locked = _lock(article)
    locked.deleted_at = timezone.now()
    locked.deleted_by = by
    comment = "Lagt i papirkurven."
    _save_revision(locked, by=by, comment=comment, update_fields=["deleted_at", "deleted_by"])
    _log(article=locked, action=PublicationEvent.Action.BINNED, by=by)
    return locked


@transaction.atomic
def restore_from_bin(*, article, by):
    """Bring a binned article back whole, in the publication state it had."""
    if not can_use_bin(by):
        raise NotAllowed
    locked = _lock(article)
    if locked.deleted_at is None:
        return locked
    locked.deleted_at = None
    locked.deleted_by = None
    locked.last_edited_by = by
    comment = "Hentet fra papirkurven."
    _save_revision(
        locked,
        by=by,
        comment=comment,
        update_fields=["deleted_at", "deleted_by", "last_edited_by"],
    )
    _log(article=locked, action=PublicationEvent.Action.RESTORED, by=by)
    return locked


@transaction.atomic
def empty_bin(*, articles, by):
    """Delete binned articles for good, with their notes, log and history links."""
    if not (can_use_bin(by) and can_publish(by)):
        raise NotAllowed
    doomed = Article.objects.in_bin().filter(pk__in=[article.pk for article in articles])
    count = doomed.count()
    for article in doomed:
        article.delete()
    return count


@transaction.atomic
def add_article_update(*, article, by, kind, text, at=None):
    """Record a visible update note or correction and move the article's "Oppdatert" time."""
    text = text.strip()
    if not text:
        raise ValidationError("Skriv teksten til oppdateringen eller rettelsen.")
    note = ArticleUpdate.objects.create(
        article=article, kind=kind, text=text, created_at=at or timezone.now(), created_by=by
    )
    bump_updated_at(article=article, at=note.created_at)
    return note


def bump_updated_at(*, article, at):
    """Move "Oppdatert" forward to ``at``; never backwards."""
    locked = _lock(article)
    if locked.updated_at is None or locked.updated_at < at:
        locked.updated_at = at
        locked.save(update_fields=["updated_at"])
    article.updated_at = locked.updated_at
    article.edit_token = locked.edit_token


RECORD_RULING_PERMISSION = "articles.add_pfuruling"
CHANGE_RULING_PERMISSION = "articles.change_pfuruling"


class RulingNotAllowed(NotAllowed):
    message = "Bare redaktører kan registrere eller endre PFU-uttalelser. Ingenting er lagret."


@transaction.atomic
def save_pfu_ruling(*, ruling, by):
    """Record a new PFU ruling on its article, or save an editor's change to one; logged."""
    new = ruling.pk is None
    needed = RECORD_RULING_PERMISSION if new else CHANGE_RULING_PERMISSION
    if not (by.is_active and by.has_perm(needed)):
        raise RulingNotAllowed
    if new:
        ruling.created_by = by
    ruling.full_clean()
    ruling.save()
    action = PublicationEvent.Action.PFU_RULING_RECORDED
    if not new:
        action = PublicationEvent.Action.PFU_RULING_CHANGED
    _log(article=ruling.article, action=action, by=by)
    return ruling


ADD_COLLEAGUE_PERMISSION = "articles.add_colleague"
NEWSROOM_ROLES = ("Journalist", "Redaktør")


@transaction.atomic
def create_colleague(*, by, username, first_name, last_name, email, role, person=None):
    """A staff account in one newsroom role, and its byline (``person``, or a new one).

    ``by`` is None only for an operator at the command line. The account has no password
    yet: the colleague sets one through the link from ``accounts.password_set_url``.
    """
    if by is not None and not (by.is_active and by.has_perm(ADD_COLLEAGUE_PERMISSION)):
        raise PermissionDenied("Du har ikke tilgang til å legge til nye medarbeidere.")
    if role not in NEWSROOM_ROLES:
        raise ValidationError(f"Ukjent rolle «{role}»; velg Journalist eller Redaktør.")
    if person is not None and person.user_id is not None:
        raise ValidationError(f"Bylinen «{person.name}» hører allerede til en annen innlogging.")
    user = get_user_model()(
        username=username, first_name=first_name, last_name=last_name, email=email, is_staff=True
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=role))
    if person is None:
        person = Person(name=user.get_full_name(), email=email, title=role.lower())
    person.user = user
    person.save()
    return user


@transaction.atomic
def place_on_front(*, placement, by):
    """Save the desk's placement (new or changed); it shows from its ``starts_at``."""
    if not can_publish(by):
        raise ArrangingNotAllowed
    placement.full_clean()
    placement.placed_by = by
    placement.save()
    _log(article=placement.article, action=PublicationEvent.Action.PLACED, by=by)
    return placement


@transaction.atomic
def remove_from_front(*, placement, by):
    """Take the placement away; its slot is filled by the newest article again."""
    if not can_publish(by):
        raise ArrangingNotAllowed
    article = placement.article
    placement.delete()
    _log(article=article, action=PublicationEvent.Action.REMOVED, by=by)
