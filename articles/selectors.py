"""Reads for the newsroom that take several queries, named once."""

from .models import Article, PendingChange

DESK_LENGTH = 20


def desk(user):
    """What an editor's start page lists; six queries whatever the newsroom's size."""
    articles = Article.objects.select_related("section", "created_by").only(
        "title", "status", "published_at", "modified_at", "section__name",
        "created_by__username", "created_by__first_name", "created_by__last_name",
    )  # fmt: skip
    return {
        "submitted": list(articles.submitted().order_by("modified_at", "pk")[:DESK_LENGTH]),
        "scheduled": list(articles.scheduled().order_by("published_at", "pk")[:DESK_LENGTH]),
        "pending_changes": list(
            PendingChange.objects.filter(article__deleted_at__isnull=True)
            .select_related("article", "proposed_by")
            .order_by("proposed_at", "pk")[:DESK_LENGTH]
        ),
        "recently_published": list(
            articles.published().order_by("-published_at", "-pk")[:DESK_LENGTH]
        ),
        "own_drafts": list(
            articles.drafts().filter(created_by=user).order_by("-modified_at", "-pk")[:DESK_LENGTH]
        ),
    }
