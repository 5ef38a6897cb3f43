from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Person, RelatedLink, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["person"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    extra = 1
    autocomplete_fields = ["to_article"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "status", "published_at", "byline_names", "live_link"]
    list_filter = ["status", "section", "bylines", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    inlines = [BylineInline, RelatedLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "lead", "body", "tags"]}),
        (_("Publisering"), {"fields": ["status", "published_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines")

    @admin.display(description=_("bylines"))
    def byline_names(self, article):
        return ", ".join(person.name for person in article.bylines.all())

    @admin.display(description=_("på nettstedet"))
    def live_link(self, article):
        if not article.is_published:
            return "–"
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), _("Vis"))
