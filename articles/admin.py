from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import services
from .admin_locking import StaleSafeListEditableMixin
from .diffs import changes_since
from .forms import ImageForm, SafeImageField, TagForm, TagNamesField
from .models import (
    Article,
    ArticleUpdate,
    Byline,
    Image,
    Person,
    PublicationEvent,
    RelatedLink,
    Section,
)
from .revisions import register_revisioned_models
from .services import can_publish, oslo_time
from .widgets import TagAutocomplete

admin.site.site_header = _("Redaksjonen")
admin.site.site_title = _("Redaksjonen")
admin.site.index_title = _("Skriv, planlegg og publiser")

# Before ArticleAdmin is built: VersionAdmin would otherwise register Article without tags.
register_revisioned_models()

PUBLISHING_BUTTONS = ("_publish", "_schedule", "_unpublish")
# Fields a journalist's form never has; finding them in a POST means it was forged.
PUBLISHING_FIELDS = ("status", "published_at", "published_by", "schedule_at")


def count_articles(number):
    return f"{number} artikkel" if number == 1 else f"{number} artikler"


admin.site.unregister(Tag)


@admin.register(Tag)
class NewsroomTagAdmin(TagAdmin):
    form = TagForm


@admin.register(Section)
class SectionAdmin(StaleSafeListEditableMixin, VersionAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(VersionAdmin):
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


class ArticleUpdateInline(admin.StackedInline):
    model = ArticleUpdate
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name = _("oppdatering eller rettelse for leserne")
    verbose_name_plural = _("oppdateringer og rettelser for leserne")


class PublicationEventInline(admin.TabularInline):
    model = PublicationEvent
    extra = 0
    can_delete = False
    fields = ["action", "published_at", "by", "at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PublicationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "publisering"

    def lookups(self, request, model_admin):
        return [("kladd", _("Kladd")), ("planlagt", _("Planlagt")), ("publisert", _("Publisert"))]

    def queryset(self, request, queryset):
        return {
            "kladd": queryset.drafts,
            "planlagt": queryset.scheduled,
            "publisert": queryset.published,
        }.get(self.value(), queryset.all)()


class AuthorFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("forfatter")


class ArticleAdminForm(forms.ModelForm):
    loaded_edit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    schedule_at = forms.SplitDateTimeField(
        label=_("Planlegg publisering"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Velg dato og klokkeslett, og trykk «Lagre og planlegg»."),
    )
    # Set per request by ArticleAdmin.get_form().
    editor = None

    class Meta:
        model = Article
        fields = ["title", "slug", "section", "lead", "body", "tags", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_edit_token"].initial = self.instance.edit_token
        if self.instance.is_scheduled:
            self.fields["schedule_at"].initial = self.instance.published_at

    @property
    def publishing_action(self):
        return next((name[1:] for name in PUBLISHING_BUTTONS if name in self.data), None)

    def clean(self):
        cleaned_data = super().clean()
        self.refuse_publishing_without_permission()
        self.refuse_stale_save()
        if self.publishing_action == "schedule":
            moment = cleaned_data.get("schedule_at")
            if moment is None:
                self.add_error("schedule_at", _("Velg når artikkelen skal publiseres."))
            elif moment <= timezone.now():
                self.add_error(
                    "schedule_at", _("Tidspunktet for planlagt publisering må være fram i tid.")
                )
        return cleaned_data

    def refuse_publishing_without_permission(self):
        forged = any(key.startswith(PUBLISHING_FIELDS) for key in self.data)
        if (self.publishing_action or forged) and not can_publish(self.editor):
            raise ValidationError(
                _(
                    "Du har ikke tilgang til å publisere, planlegge eller avpublisere artikler. "
                    "Ingenting er lagret, og artikkelen er ikke publisert."
                ),
                code="publishing_not_allowed",
            )

    def refuse_stale_save(self):
        if self.instance.pk is None:
            return
        # Locked until the admin's transaction ends, so nobody can save in between this
        # check and our save.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_edited_by")
            .only("edit_token", "modified_at", "last_edited_by")
            .get(pk=self.instance.pk)
        )
        if self.cleaned_data.get("loaded_edit_token") == current.edit_token:
            return
        editor = current.last_edited_by
        who = (editor.get_full_name() or editor.get_username()) if editor else _("en annen")
        raise ValidationError(
            _(
                "%(who)s lagret artikkelen %(when)s, etter at du åpnet den. Endringene dine er "
                "ikke lagret, men står fortsatt i skjemaet under. Kopier det du vil beholde, og "
                "åpne artikkelen på nytt for å se den nyeste versjonen."
            ),
            code="stale",
            params={"who": who, "when": oslo_time(current.modified_at)},
        )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "section",
        "publication_status",
        "published_at",
        "byline_names",
        "live_link",
    ]
    list_filter = [
        PublicationStatusFilter,
        "section",
        ("bylines", AuthorFilter),
        "published_at",
    ]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "lead_image"]
    inlines = [BylineInline, RelatedLinkInline, ArticleUpdateInline, PublicationEventInline]
    readonly_fields = [
        "publication_status",
        "published_at",
        "published_by",
        "created_by",
        "created_at",
        "last_edited_by",
        "modified_at",
    ]
    actions = ["publish_selected", "unpublish_selected"]
    change_list_template = "admin/articles/article/change_list.html"
    revision_form_template = "admin/articles/article/revision_form.html"

    class Media:
        css = {"all": ["css/admin-newsroom.css"]}

    def get_fieldsets(self, request, obj=None):
        publishing = ["publication_status", "published_at", "published_by"]
        if can_publish(request.user):
            publishing.append("schedule_at")
        publishing.append("updated_at")
        return [
            (
                None,
                {
                    "fields": [
                        "title",
                        "slug",
                        "section",
                        "lead",
                        "body",
                        "tags",
                        "loaded_edit_token",
                    ]
                },
            ),
            (_("Hovedbilde"), {"fields": ["lead_image", "lead_image_caption"]}),
            (_("Publisering"), {"fields": publishing}),
            (
                _("Redigering"),
                {
                    "fields": ["created_by", "created_at", "last_edited_by", "modified_at"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_urls(self):
        tag_search = path(
            "stikkord/",
            self.admin_site.admin_view(self.tag_search_view),
            name="articles_article_tag_search",
        )
        return [tag_search, *super().get_urls()]

    def tag_search_view(self, request):
        """Existing tags matching what the editor types, for the tag picker."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        tags = Tag.objects.order_by("name")
        if term:
            tags = tags.filter(name__icontains=term)
        names = list(tags.values_list("name", flat=True)[:20])
        return JsonResponse(
            {
                "results": [{"id": name, "text": name} for name in names],
                "pagination": {"more": False},
            }
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["form_class"] = TagNamesField
            kwargs["widget"] = TagAutocomplete(
                url=reverse_lazy(f"{self.admin_site.name}:articles_article_tag_search")
            )
            kwargs["help_text"] = _(
                "Velg eksisterende stikkord, eller skriv et nytt og trykk Enter."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.has_perm("articles.edit_any_article"):
            return True
        return obj.created_by_id == request.user.pk

    def view_on_site(self, article):
        if article.is_published:
            return article.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": article.pk})

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish_article"] = can_publish(request.user)
        if obj is not None and obj.pk and not obj.is_published:
            context["preview_url"] = reverse("articles:preview", kwargs={"pk": obj.pk})
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        kept_publication = getattr(request, "publication_kept_on_restore", None)
        if kept_publication is not None:
            for field, value in kept_publication.items():
                setattr(obj, field, value)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleUpdate:
            return super().save_formset(request, form, formset, change)
        notes = formset.save(commit=False)
        for note in formset.deleted_objects:
            note.delete()
        for note in notes:
            if note.pk is None:
                note.created_by = request.user
                note.save()
                services.bump_updated_at(article=form.instance, at=note.created_at)
            else:
                note.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        action = form.publishing_action
        article = form.instance
        if action == "publish":
            services.publish_article(article=article, by=request.user)
            self.message_user(request, _("Artikkelen er publisert og synlig for leserne."))
        elif action == "schedule":
            at = form.cleaned_data["schedule_at"]
            services.schedule_article(article=article, by=request.user, at=at)
            self.message_user(request, _("Artikkelen er planlagt publisert %s.") % oslo_time(at))
        elif action == "unpublish":
            services.unpublish_article(article=article, by=request.user)
            self.message_user(
                request, _("Artikkelen er avpublisert og er nå en kladd."), messages.WARNING
            )

    # Restoring a revision brings back text, bylines, tags and links, never a publication state:
    # that changes only through the publishing services.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = Article.objects.filter(pk=unquote(object_id)).first()
        version = Version.objects.get_for_object_reference(Article, unquote(object_id))
        version = version.filter(pk=version_id).first()
        if article is None or version is None:
            raise Http404
        request.publication_kept_on_restore = {
            "status": article.status,
            "published_at": article.published_at,
            "published_by_id": article.published_by_id,
        }
        extra_context = {**(extra_context or {}), "changes_since": changes_since(version, article)}
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        request.publication_kept_on_restore = {
            "status": Article.Status.DRAFT,
            "published_by_id": None,
        }
        return super().recover_view(request, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_recover_deleted": self.has_delete_permission(request)}
        return super().changelist_view(request, extra_context)

    # Only those who may delete articles see and recover deleted ones.
    def recoverlist_view(self, request, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    @admin.display(description=_("status"))
    def publication_status(self, article):
        if article.is_scheduled:
            return _("Planlagt")
        return article.get_status_display()

    @admin.display(description=_("bylines"))
    def byline_names(self, article):
        return ", ".join(person.name for person in article.bylines.all())

    @admin.display(description=_("på nettstedet"))
    def live_link(self, article):
        if article.is_published:
            return format_html('<a href="{}">{}</a>', article.get_absolute_url(), _("Vis"))
        return format_html(
            '<a href="{}">{}</a>',
            reverse("articles:preview", kwargs={"pk": article.pk}),
            _("Forhåndsvis"),
        )

    @admin.action(description=_("Publiser valgte artikler nå"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        already_live = queryset.published().count()
        published = 0
        for article in queryset.exclude(pk__in=queryset.published()):
            services.publish_article(article=article, by=request.user)
            published += 1
        if published:
            self.message_user(request, _("%s er publisert.") % count_articles(published))
        if already_live:
            self.message_user(
                request,
                _("%s var allerede publisert og ble ikke endret.") % count_articles(already_live),
                messages.WARNING,
            )

    @admin.action(description=_("Avpubliser valgte artikler"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        drafts = queryset.drafts().count()
        unpublished = 0
        for article in queryset.exclude(pk__in=queryset.drafts()):
            services.unpublish_article(article=article, by=request.user)
            unpublished += 1
        if unpublished:
            self.message_user(
                request, _("%s er avpublisert og er nå kladder.") % count_articles(unpublished)
            )
        if drafts:
            self.message_user(
                request,
                _("%s var allerede kladd og ble ikke endret.") % count_articles(drafts),
                messages.WARNING,
            )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm

    class Media:
        css = {"all": ["css/admin-newsroom.css"]}

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
            '<img class="image-preview" src="{}" alt="{}" width="{}" height="{}">',
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
