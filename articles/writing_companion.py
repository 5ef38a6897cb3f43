"""The article form's companion: who else has the article open, her autosaved draft, and the
merge shown when a colleague saved in between. Endpoints and context for ArticleAdmin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import autosave, merging, presence
from .models import Article


class WritingCompanionAdmin:
    """Mixed into ArticleAdmin (a ModelAdmin of Article)."""

    def companion_routes(self):
        """(view, route, name) of the form's own requests; all of them are POSTs."""
        return [
            (require_POST(view), route, name)
            for view, route, name in [
                (self.presence_view, "<int:pk>/tilstede/", "presence"),
                (self.leave_view, "<int:pk>/tilstede/forlat/", "presence_leave"),
                (self.autosave_view, "<int:pk>/autolagring/", "autosave"),
                (self.autosave_view, "autolagring/", "autosave_new"),
                (self.discard_draft_view, "<int:pk>/autolagring/forkast/", "discard_draft"),
                (self.discard_draft_view, "autolagring/forkast/", "discard_draft_new"),
            ]
        ]

    def _open_article(self, request, pk):
        """The article she has open to edit: one she may only read is nobody's concern."""
        article = get_object_or_404(Article.objects.outside_bin(), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def presence_view(self, request, pk):
        """A heartbeat from an open form; answers with the colleagues who have it open too."""
        article = self._open_article(request, pk)
        others = presence.beat(article_pk=article.pk, user=request.user)
        return JsonResponse({"others": [presence.notice(entry) for entry in others]})

    def leave_view(self, request, pk):
        presence.leave(article_pk=self._open_article(request, pk).pk, user=request.user)
        return HttpResponse(status=204)

    def autosave_view(self, request, pk=None):
        article = None if pk is None else self._open_article(request, pk)
        try:
            draft = autosave.autosave_draft(
                user=request.user,
                article=article,
                text=request.POST,
                loaded_edit_token=request.POST.get("loaded_edit_token"),
            )
        except autosave.AutosaveNotAllowed as refusal:
            return JsonResponse({"error": str(refusal)}, status=403)
        except ValidationError as refusal:
            return JsonResponse({"error": " ".join(refusal.messages)}, status=400)
        return JsonResponse({"saved_at": timezone.localtime(draft.saved_at).strftime("%H.%M")})

    def discard_draft_view(self, request, pk=None):
        article = None if pk is None else self._open_article(request, pk)
        autosave.discard_draft(user=request.user, article=article)
        return HttpResponse(status=204)

    def companion_context(self, request, obj):
        """What _writing_companion.html shows above the save buttons."""
        article = obj if obj is not None and obj.pk else None
        name = self.admin_site.name
        if article is None:
            urls = {
                "autosave": reverse(f"{name}:articles_article_autosave_new"),
                "discard": reverse(f"{name}:articles_article_discard_draft_new"),
            }
            present = []
        else:
            urls = {
                "autosave": reverse(f"{name}:articles_article_autosave", args=[article.pk]),
                "discard": reverse(f"{name}:articles_article_discard_draft", args=[article.pk]),
                "presence": reverse(f"{name}:articles_article_presence", args=[article.pk]),
                "leave": reverse(f"{name}:articles_article_presence_leave", args=[article.pk]),
            }
            present = presence.others(article_pk=article.pk, user=request.user)
            if request.method == "GET":
                merging.remember_opened(article)
            if not self.has_change_permission(request, article):
                urls.pop("presence")  # reading along is not editing
        # Offered when she opens the form, not on a form shown again after a refused save.
        draft = None
        if request.method == "GET":
            draft = autosave.draft_to_offer(user=request.user, article=article)
        return {
            "companion_urls": urls,
            "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
            "present_colleagues": [presence.notice(entry) for entry in present],
            "autosaved_draft": draft,
            "autosaved_draft_data": autosave.draft_data(draft) if draft else None,
            "merge_offer": merging.offer_for_refused_save(request, article),
        }
