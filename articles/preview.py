from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .fragments import uncached_fragment_keys
from .models import Article, PendingChange
from .views import ArticleDetailView


def can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.change_article")


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """A draft, scheduled article or waiting change as readers will see it, for the newsroom."""

    template_name = "articles/article_preview.html"

    def get_queryset(self):
        return Article.objects.for_page()

    def article_for_fragments(self):
        return self.object

    def fragment_keys(self):
        return uncached_fragment_keys()

    def get(self, request, *args, **kwargs):
        # Readers and search engines must not learn that an unpublished article exists.
        if not can_preview(request.user):
            raise Http404("Fant ikke artikkelen")
        self.object = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        pending = PendingChange.objects.filter(article=self.object).first()
        if pending is not None:
            # The newsroom reads a waiting change as readers would see it once approved.
            pending.apply_to(self.object)
            self.object.shown_pending_change = pending
        elif self.object.is_published:
            return redirect(self.object.get_absolute_url())
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex"
        return response
