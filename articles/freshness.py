"""What a change makes stale: the one place that decides it.

Readers are served from three layers (docs/operations.md): whole pages keyed by the ``pages``
generation (ops/pagecache.py), pieces of pages keyed by an article's version (its
``modified_at``) and the ``shared_objects`` and ``teasers`` generations (articles/fragments.py),
and each worker's copies of those generations. ``STALE`` below says, per model readers can see,
which generations a saved or deleted row moves and which article's version it moves. Nothing
else in the site bumps a generation or connects a signal for freshness.

Every bump is made now *and* again when the transaction commits: a reader's request that
renders between the save and the commit reads the old rows and may store them under the
new generation; the bump at commit makes that copy unreachable.

A change is *soft* (readers may get the previous copy of a page for a few seconds while it is
rendered again: the page cache's grace) unless ``Stale.withdraws`` says it took away something
readers saw (an article unpublished, binned or deleted, a photo deleted): then it is *hard* and
no older copy of any page is served again.

Paths that send no signals (``bulk_create``, ``QuerySet.update()``, imports, data migrations)
call ``changed()`` with the models they wrote. ``loaddata`` (raw saves) and ``migrate`` move
everything.

One stored value follows articles too: each byline's copy of its article's published_at (the
order of a person's page), written here after every save of an article or a byline and by
``changed()``.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from ops.generations import Generation
from ops.pagecache import pages

from .models import (
    AboutPage,
    Article,
    ArticleUpdate,
    Byline,
    FrontPlacement,
    Image,
    Person,
    PfuRuling,
    RelatedLink,
    Section,
)

# In every fragment key: a section, person, photo or tag shows on many articles' pages, and
# the «Om oss» page's editor-in-chief in every page's footer.
shared_objects = Generation("fragments:shared-objects")
# In the key of "Mer fra Dagsavisen", which shows other articles.
teasers = Generation("fragments:teasers")
EVERYTHING = (pages, shared_objects, teasers)

# What a teaser in another article's footer shows, and whether readers may see it.
TEASER_FIELDS = (
    "title", "slug", "section_id", "lead_image_id", "status", "published_at", "deleted_at",
)  # fmt: skip


def _tagged_article_id(item):
    is_article = item.content_type_id == ContentType.objects.get_for_model(Article).pk
    return item.object_id if is_article else None


def _article_withdrawn(article, deleted):
    """Readers could see it before this save or delete, and cannot now."""
    was_public = article.__dict__.pop("_was_public", False)
    return deleted or (was_public and not (article.is_published and article.deleted_at is None))


def _deleted(instance, deleted):
    return deleted


@dataclass(frozen=True)
class Stale:
    generations: tuple[Generation, ...]
    # The article whose version (modified_at) moves: a part of it saved on its own.
    article_id: Callable | None = None
    # (instance, deleted) -> whether readers must stop seeing it at once (a hard change).
    withdraws: Callable | None = None


STALE = {
    # An article's own pieces follow its modified_at (moved by every save); "Mer fra
    # Dagsavisen" elsewhere follows `teasers`, moved by teaser_may_change() below.
    Article: Stale((pages,), withdraws=_article_withdrawn),
    Section: Stale((pages, shared_objects)),
    Person: Stale((pages, shared_objects)),
    Image: Stale((pages, shared_objects), withdraws=_deleted),
    Tag: Stale((pages, shared_objects)),
    Byline: Stale((pages,), article_id=attrgetter("article_id")),
    ArticleUpdate: Stale((pages,), article_id=attrgetter("article_id")),
    PfuRuling: Stale((pages,), article_id=attrgetter("article_id")),
    AboutPage: Stale((pages, shared_objects)),
    RelatedLink: Stale((pages,), article_id=attrgetter("from_article_id")),
    TaggedItem: Stale((pages,), article_id=_tagged_article_id),
    FrontPlacement: Stale((pages,)),
}


def bump(*generations, hard=False):
    """Now, for this process, and again at commit, so no render in between keeps old data.

    ``hard``: something readers saw was withdrawn; no page may be served from before it.
    """
    for generation in generations:
        generation.bump(hard=hard)
        transaction.on_commit(functools.partial(generation.bump, hard=hard))


def touch_articles(article_ids):
    """A new version for the articles' cached pieces, without an edit (no new edit token)."""
    ids = {pk for pk in article_ids if pk is not None}
    if ids:
        Article.objects.filter(pk__in=ids).update(modified_at=timezone.now())


def changed(*models, article_ids=(), withdrawn=False):
    """Announce a change made without signals: bulk_create, QuerySet.update(), migrations.

    ``article_ids`` are the articles whose own content (or parts) changed; their cached
    pieces get a new version. A bulk change to articles cannot say which teasers it moved,
    so it moves the ``teasers`` generation too. ``withdrawn``: it took away something readers
    saw (see ``Stale.withdraws``).
    """
    generations = [generation for model in models for generation in STALE[model].generations]
    if Article in models:
        generations.append(teasers)
    bump(*dict.fromkeys(generations), hard=withdrawn)
    touch_articles(article_ids)
    if Article in models or Byline in models:
        bylines = Byline.objects.filter(article__in=article_ids) if article_ids else Byline.objects
        copy_published_at(bylines.all())


def everything_changed(**kwargs):
    """loaddata and data migrations: no telling what changed."""
    bump(*EVERYTHING, hard=True)


def row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        everything_changed()
        return
    stale = STALE[sender]
    deleted = kwargs["signal"] is post_delete
    bump(*stale.generations, hard=bool(stale.withdraws and stale.withdraws(instance, deleted)))
    if stale.article_id:
        touch_articles([stale.article_id(instance)])
    if instance.__dict__.pop("_teaser_changes", False) or (sender is Article and deleted):
        bump(teasers)


def teaser_may_change(sender, instance, raw=False, **kwargs):
    """Before an article is saved: will other articles' footers show it differently?

    Only an article readers could see is in other footers; a newly published one appears
    there when they are next refreshed (``FOOTER_LINKS_TIMEOUT``).
    """
    if raw or not instance.pk:
        return
    before = Article.objects.published().filter(pk=instance.pk).values(*TEASER_FIELDS).first()
    instance._was_public = bool(before)
    instance._teaser_changes = bool(before) and any(
        before[field] != getattr(instance, field) for field in TEASER_FIELDS
    )


def copy_published_at(bylines):
    """``Byline.article_published_at`` read again from each byline's article."""
    article = Article.objects.filter(pk=OuterRef("article_id"))
    bylines.update(article_published_at=Subquery(article.values("published_at")))


def published_at_may_change(sender, instance, update_fields=None, **kwargs):
    """After a save of an article or a byline, raw ones too (loaddata, a revision's restore)."""
    if sender is Byline:
        copy_published_at(Byline.objects.filter(pk=instance.pk))
    elif update_fields is None or "published_at" in update_fields:
        copy_published_at(Byline.objects.filter(article=instance.pk))


def connect(app_config):
    """Called once from ArticlesConfig.ready()."""
    for model in STALE:
        uid = f"freshness_{model._meta.label_lower}"
        post_save.connect(row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(row_changed, sender=model, dispatch_uid=uid)
    pre_save.connect(teaser_may_change, sender=Article, dispatch_uid="freshness_teaser")
    for model in (Article, Byline):
        uid = f"freshness_published_at_{model._meta.label_lower}"
        post_save.connect(published_at_may_change, sender=model, dispatch_uid=uid)
    # Once per migrate run (it is sent for every app), after data migrations too.
    post_migrate.connect(everything_changed, sender=app_config, dispatch_uid="freshness_migrate")


def next_scheduled_change():
    """When pages next change without a save, or None (``PAGE_CACHE_NEXT_CHANGE``): a
    scheduled article goes live, or a front-page placement starts or ends. One query."""
    now = timezone.now()
    placements = FrontPlacement.objects.order_by()
    moments = (
        Article.objects.scheduled()
        .order_by()
        .values_list("published_at")
        .union(
            placements.filter(starts_at__gt=now).values_list("starts_at"),
            placements.filter(ends_at__gt=now).values_list("ends_at"),
        )
        .order_by("published_at")[:1]
    )
    return next(iter(moments), (None,))[0]
