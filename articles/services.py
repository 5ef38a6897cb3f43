"""Every change to what readers can see goes through here: atomic, permission-checked, logged."""

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, ArticleUpdate, Person, PublicationEvent
from .text import oslo_time

PUBLISH_PERMISSION = "articles.publish_article"


class PublishingNotAllowed(PermissionDenied):
    message = "Du har ikke tilgang til å publisere, planlegge eller avpublisere artikler."

    def __str__(self):
        return self.message


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


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
    locked = Article.objects.select_for_update().get(pk=article.pk)
    locked.status = status
    if published_at is not None:
        locked.published_at = published_at
    locked.published_by = by if status == Article.Status.PUBLISHED else None
    locked.last_edited_by = by
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        locked.save(update_fields=["status", "published_at", "published_by", "last_edited_by"])
    PublicationEvent.objects.create(
        article=locked, action=action, by=by, at=timezone.now(), published_at=locked.published_at
    )
    return locked


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
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.updated_at is None or locked.updated_at < at:
        locked.updated_at = at
        locked.save(update_fields=["updated_at"])
    article.updated_at = locked.updated_at
    article.edit_token = locked.edit_token


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
