from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import ImageForm, SafeImageField
from .models import Article, Byline, Image, Person, RelatedLink, Section


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
    formfield_overrides = {models.ImageField: {"form_class": SafeImageField}}


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
    autocomplete_fields = ["section", "lead_image"]
    inlines = [BylineInline, RelatedLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "lead", "body", "tags"]}),
        (_("Hovedbilde"), {"fields": ["lead_image", "lead_image_caption"]}),
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


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "description", "credit_shown", "size", "created_at"]
    list_display_links = ["thumbnail", "description"]
    list_select_related = ["photographer"]
    list_filter = ["created_at"]
    search_fields = ["alt_text", "caption", "credit", "photographer__name"]
    autocomplete_fields = ["photographer"]
    readonly_fields = ["preview", "size", "body_markup"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption"]}),
        (_("Kreditering"), {"fields": ["photographer", "credit"]}),
        (_("Bruk"), {"fields": ["size", "body_markup"]}),
    ]

    @admin.display(description=_("miniatyr"))
    def thumbnail(self, image):
        sources = image.sources
        if not sources:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="80" height="{}" loading="lazy">',
            sources["smallest"],
            image.alt_text,
            max(1, round(80 * image.height / image.width)) if image.width else 80,
        )

    @admin.display(description=_("bildetekst eller alternativ tekst"))
    def description(self, image):
        return str(image)

    @admin.display(description=_("kreditering"))
    def credit_shown(self, image):
        return image.credit_line or "–"

    @admin.display(description=_("forhåndsvisning"))
    def preview(self, image):
        if not image.pk or not image.sources:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" style="max-width: 100%; height: auto" width="{}" height="{}">',
            image.sources["src"],
            image.alt_text,
            image.width,
            image.height,
        )

    @admin.display(description=_("størrelse"))
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "–"

    @admin.display(description=_("i brødteksten"))
    def body_markup(self, image):
        if not image.pk:
            return "–"
        return format_html(
            "<code>![{}](bilde:{})</code><br>{}",
            image.alt_text,
            image.pk,
            _("Lim inn linjen alene i et eget avsnitt for å vise bildet i en artikkel."),
        )
