from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .models import Article, Person, Section


class FrontPageView(ListView):
    template_name = "articles/front_page.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()[:20]


class SectionView(ListView):
    template_name = "articles/section_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    page_kwarg = "side"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(ListView):
    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    page_kwarg = "side"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PersonView(ListView):
    template_name = "articles/person_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    page_kwarg = "side"

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(bylines=self.person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Old links keep working after a section move or a changed publish date.
            return redirect(canonical, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        try:
            return self.get_queryset().get(slug=self.kwargs["slug"])
        except Article.DoesNotExist as missing:
            raise Http404("Fant ikke artikkelen") from missing

    def get_context_data(self, **kwargs):
        return super().get_context_data(footer_links=self.object.footer_links(), **kwargs)
