from typing import NamedTuple

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from . import autosave, merging, services, writing
from .accounts import password_link_days, password_set_path
from .admin_locking import StaleSafeListEditableMixin
from .diffs import changes_since, pending_differences
from .forms import ColleagueForm, ImageForm, SafeImageField, TagForm, TagNamesField
from .models import (
    AboutPage,
    Article,
    ArticleUpdate,
    Byline,
    FrontPlacement,
    Image,
    PendingChange,
    Person,
    PfuRuling,
    PublicationEvent,
    RelatedLink,
    Section,
)
from .revisions import register_revisioned_models
from .search import normalise_query
from .selectors import desk
from .services import can_publish, oslo_time
from .widgets import TagAutocomplete
from .writing_companion import WritingCompanionAdmin

admin.site.site_header = _("Redaksjonen")
admin.site.site_title = _("Redaksjonen")
admin.site.index_title = _("Skriv, planlegg og publiser")
admin.site.index_template = "admin/newsroom_index.html"

# Before ArticleAdmin is built: VersionAdmin would otherwise register Article without tags.
register_revisioned_models()

PUBLISHING_BUTTONS = ("_publish", "_schedule", "_unpublish")
# Fields a journalist's form never has; finding them in a POST means it was forged.
PUBLISHING_FIELDS = ("status", "published_at", "published_by", "schedule_at")


def count_articles(number):
    return f"{number} artikkel" if number == 1 else f"{number} artikler"


class TypedSearchMixin:
    """The search box and autocomplete take anything typed: characters no text in the database
    can hold (NUL and other control characters) are dropped, not sent to fail the query."""

    def get_search_results(self, request, queryset, search_term):
        term = normalise_query(search_term).text
        return super().get_search_results(request, queryset, term)


@admin.register(Section)
class SectionAdmin(TypedSearchMixin, StaleSafeListEditableMixin, VersionAdmin):
    list_display = ["name", "slug", "position", "on_front", "opinion"]
    list_editable = ["position", "on_front", "opinion"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FrontPlacement)
class FrontPlacementAdmin(admin.ModelAdmin):
    """The desk arranges the front page and pins stories on section fronts."""

    list_display = ["front", "slot", "article", "starts_at", "ends_at", "state", "placed_by"]
    list_display_links = ["slot", "article"]
    list_filter = ["section"]
    list_select_related = ["section", "article", "placed_by"]
    autocomplete_fields = ["article"]
    fields = ["section", "slot", "article", "starts_at", "ends_at"]

    @admin.display(description=_("side"), ordering="section__position")
    def front(self, placement):
        return placement.section or _("Forsiden")

    @admin.display(description=_("status"))
    def state(self, placement):
        now = timezone.now()
        if placement.ends_at and placement.ends_at <= now:
            return _("Avsluttet")
        if placement.starts_at > now:
            return _("Planlagt")
        if placement.article.deleted_at or not placement.article.is_published:
            return _("Vises ikke: saken er ikke publisert")
        return _("Aktiv")

    # Arranging the front is publishing: only the publish permission opens this screen.
    def has_view_permission(self, request, obj=None):
        return can_publish(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        services.place_on_front(placement=obj, by=request.user)

    def delete_model(self, request, obj):
        services.remove_from_front(placement=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for placement in queryset:
            services.remove_from_front(placement=placement, by=request.user)


@admin.register(Person)
class PersonAdmin(TypedSearchMixin, VersionAdmin):
    list_display = ["name", "title", "kind", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ImageField: {"form_class": SafeImageField}}

    def get_readonly_fields(self, request, obj=None):
        # Only those who add colleagues decide which login writes under which byline.
        if request.user.has_perm(services.ADD_COLLEAGUE_PERMISSION):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        add_colleague = path(
            "ny-medarbeider/",
            self.admin_site.admin_view(self.add_colleague_view),
            name="articles_person_add_colleague",
        )
        return [add_colleague, *super().get_urls()]

    def add_colleague_view(self, request):
        """«Ny medarbeider»: login, role and byline in one step."""
        if not request.user.has_perm(services.ADD_COLLEAGUE_PERMISSION):
            raise PermissionDenied
        form = ColleagueForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ny medarbeider"),
            "opts": self.opts,
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            try:
                colleague = services.create_colleague(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Shown once on this page, never stored in a message cookie or a log.
                context["colleague"] = colleague
                context["password_link"] = request.build_absolute_uri(password_set_path(colleague))
                context["link_days"] = password_link_days()
        return TemplateResponse(request, "admin/articles/person/add_colleague.html", context)


class BylineInline(writing.WritingInline, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["person"]
    known_choice = "person"
    known_choice_placeholder = _("Søk etter person")


class RelatedLinkInline(writing.WritingInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    extra = 1
    autocomplete_fields = ["to_article"]
    known_choice = "to_article"
    known_choice_placeholder = _("Søk etter artikkel")


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
        return [
            ("kladd", _("Kladd")),
            ("vask", _("Klar til vask")),
            ("planlagt", _("Planlagt")),
            ("publisert", _("Publisert")),
        ]

    def queryset(self, request, queryset):
        return {
            "kladd": queryset.drafts,
            "vask": queryset.submitted,
            "planlagt": queryset.scheduled,
            "publisert": queryset.published,
        }.get(self.value(), queryset.all)()


class AuthorFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("forfatter")


class Refusal(NamedTuple):
    """Why a service refused to save: a heading saying what happened, and the details."""

    heading: str
    message: str

    def __str__(self):
        return str(self.message)


class ArticleAdminForm(forms.ModelForm):
    loaded_edit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    schedule_at = forms.SplitDateTimeField(
        label=_("Planlegg publisering"),
        required=False,
        widget=writing.LabelledSplitDateTime(_("Planlegg publisering")),
        help_text=_("Velg dato og klokkeslett, og trykk «Lagre og planlegg»."),
    )
    # A service's refusal of this very POST, set per request by ArticleAdmin.get_form(): the
    # form is shown again with what was typed, and nothing is saved.
    refusal = None

    class Meta:
        model = Article
        fields = ["title", "slug", "section", "lead", "body", "tags", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_edit_token"].initial = self.instance.edit_token
        if self.instance.is_scheduled:
            self.fields["schedule_at"].initial = self.instance.published_at
        shown_pending = getattr(self.instance, "shown_pending_change", None)
        if shown_pending is not None and "tags" in self.fields:
            self.initial["tags"] = shown_pending.tag_names

    @property
    def publishing_action(self):
        return next((name[1:] for name in PUBLISHING_BUTTONS if name in self.data), None)

    @property
    def intent(self):
        """What the POST asks for beyond saving; forged publishing fields count as publishing."""
        forged = any(key.startswith(PUBLISHING_FIELDS) for key in self.data)
        return services.PUBLISHING if self.publishing_action or forged else None

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal is not None:
            raise ValidationError(str(self.refusal), code="refused")
        if self.publishing_action == "schedule":
            moment = cleaned_data.get("schedule_at")
            if moment is None:
                self.add_error("schedule_at", _("Velg når artikkelen skal publiseres."))
            elif moment <= timezone.now():
                self.add_error(
                    "schedule_at", _("Tidspunktet for planlagt publisering må være fram i tid.")
                )
        return cleaned_data


class LockedWhileReleasedInline:
    """Bylines, links and notes of a released article change only through an editor."""

    def locked(self, request, obj):
        return obj is not None and obj.is_released and not can_publish(request.user)

    def has_add_permission(self, request, obj=None):
        return not self.locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.locked(request, obj) and super().has_delete_permission(request, obj)


class LockedBylineInline(LockedWhileReleasedInline, BylineInline):
    pass


class LockedRelatedLinkInline(LockedWhileReleasedInline, RelatedLinkInline):
    pass


class LockedArticleUpdateInline(LockedWhileReleasedInline, ArticleUpdateInline):
    pass


@admin.register(Article)
class ArticleAdmin(TypedSearchMixin, WritingCompanionAdmin, VersionAdmin):
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
    inlines = [
        LockedBylineInline,
        LockedRelatedLinkInline,
        LockedArticleUpdateInline,
        PublicationEventInline,
    ]
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
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/articles/article/delete_selected_confirmation.html"
    )
    change_form_template = "admin/articles/article/change_form.html"
    revision_form_template = "admin/articles/article/revision_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True
    history_order_by_date = True

    class Media:
        css = {
            "all": [
                "css/admin-newsroom.css",
                "css/admin-writing.css",
                "css/writing-companion.css",
            ]
        }
        js = ["js/article-editor.js", "js/writing-companion.js"]

    def get_fieldsets(self, request, obj=None):
        # In the order the page reads; the template puts the bylines after the lead and the
        # related articles after the tags (writing.arrange_inlines).
        publishing = ["publication_status", "published_at", "published_by"]
        if can_publish(request.user):
            publishing.append("schedule_at")
        publishing.append("updated_at")
        return [
            (
                None,
                {
                    "fields": ["section", "title", "slug", "lead", "loaded_edit_token"],
                    "classes": ["writing", "writing-top"],
                },
            ),
            (
                _("Hovedbilde"),
                {"fields": ["lead_image", "lead_image_caption"], "classes": ["writing"]},
            ),
            (None, {"fields": ["body", "tags"], "classes": ["writing", "writing-text"]}),
            (_("Publisering"), {"fields": publishing}),
            (
                _("Redigering"),
                {
                    "fields": ["created_by", "created_at", "last_edited_by", "modified_at"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_released and not can_publish(request.user):
            # A pending change carries text, photo and tags; where the article lives and
            # when it was updated stay the editor's decision.
            return [*fields, "slug", "section", "updated_at"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_urls(self):
        def view(function, route, name):
            return path(
                route, self.admin_site.admin_view(function), name=f"articles_article_{name}"
            )

        routes = [
            (self.tag_search_view, "stikkord/", "tag_search"),
            (self.desk_view, "skrivebord/", "desk"),
            (self.bin_view, "papirkurv/", "bin"),
            (self.pending_change_view, "<int:pk>/endring/", "pending"),
            *self.companion_routes(),
            *writing.ROUTES,
        ]
        return [*(view(*route) for route in routes), *super().get_urls()]

    def tag_search_view(self, request):
        """Existing tags matching what the editor types, for the tag picker."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = normalise_query(request.GET.get("term", "")).text
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

    def desk_view(self, request):
        """The editor's start page: what waits for a decision, and what is on its way out."""
        if not can_publish(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Skrivebord"),
            "opts": self.opts,
            **desk(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/desk.html", context)

    def bin_view(self, request):
        """Articles in the bin: an editor restores one whole or empties the bin for good."""
        if not services.can_use_bin(request.user):
            raise PermissionDenied
        binned = Article.objects.in_bin().select_related("section", "deleted_by")
        if request.method == "POST":
            chosen = binned.filter(pk__in=request.POST.getlist("article"))
            if "_restore" in request.POST:
                for article in chosen:
                    services.restore_from_bin(article=article, by=request.user)
                self.message_user(
                    request, _("%s er hentet fra papirkurven.") % count_articles(len(chosen))
                )
            elif "_empty" in request.POST:
                removed = services.empty_bin(articles=list(chosen), by=request.user)
                self.message_user(
                    request,
                    _("%s er slettet for godt.") % count_articles(removed),
                    messages.WARNING,
                )
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Papirkurv"),
            "opts": self.opts,
            "binned": binned.order_by("-deleted_at"),
            "can_empty_bin": can_publish(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/bin.html", context)

    def pending_change_view(self, request, pk):
        """An editor reads a journalist's change to a released article, approves or rejects it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        change = get_object_or_404(
            PendingChange.objects.select_related("article", "proposed_by", "lead_image"),
            article_id=pk,
            article__deleted_at__isnull=True,
        )
        article = change.article
        if request.method == "POST":
            if "_approve" in request.POST:
                services.approve_change(change=change, by=request.user)
                self.message_user(request, _("Endringen er godkjent og synlig for leserne."))
            elif "_reject" in request.POST:
                services.reject_change(change=change, by=request.user)
                self.message_user(
                    request,
                    _("Endringen er avvist. Leserne ser den godkjente teksten."),
                    messages.WARNING,
                )
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Endring som venter på godkjenning"),
            "opts": self.opts,
            "original": article,
            "change": change,
            "changes": pending_differences(change),
            "can_publish_article": can_publish(request.user),
            "preview_url": reverse("articles:preview", kwargs={"pk": article.pk}),
        }
        return TemplateResponse(request, "admin/articles/article/pending_change.html", context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["form_class"] = TagNamesField
            kwargs["widget"] = TagAutocomplete(
                url=reverse_lazy(f"{self.admin_site.name}:articles_article_tag_search")
            )
            kwargs["help_text"] = _(
                "Velg eksisterende stikkord, eller skriv et nytt og trykk Enter."
            )
        elif db_field.name == "title":
            kwargs.update(widget=writing.TitleInput(), help_text=writing.TITLE_HELP)
        elif db_field.name == "body":
            kwargs.update(widget=writing.BodyEditor(), help_text=writing.BODY_HELP)
        elif db_field.name == "updated_at":
            kwargs["widget"] = writing.LabelledSplitDateTime(db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            kwargs["widget"] = writing.PhotoSelect(
                db_field, self.admin_site, placeholder=_("Søk etter bilde")
            )
        elif db_field.name == "section":
            kwargs["widget"] = writing.NamedAutocompleteSelect(
                db_field, self.admin_site, placeholder=_("Velg seksjon")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.refusal = getattr(request, "save_refused", None)
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new article's first byline is the writer's own (only shown, so the POST decides).
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            own = Person.objects.filter(user_id=request.user.pk).first()
            if own is not None:
                kwargs["initial"] = [{"person": own.pk}]
        return kwargs

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related("bylines")
        if getattr(request, "publication_kept_on_restore", None) is not None:
            # A restore runs after django-reversion wrote the stored row back, which may have
            # been in the bin then; save_model takes it out again with the kept state.
            return articles
        return articles.outside_bin()

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and article.is_released and not can_publish(request.user):
            # The journalist goes on from her own waiting change, not from the live text.
            pending = PendingChange.objects.filter(article=article).first()
            if pending is not None:
                pending.apply_to(article)
                article.shown_pending_change = pending
        return article

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def view_on_site(self, article):
        if article.is_published:
            return article.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": article.pk})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with merging.merged_form(request, object_id):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.NotAllowed, services.StaleEdit) as refusal:
            # Everything was rolled back; show the form again, refused, with what was typed.
            request.save_refused = Refusal(refusal.heading, str(refusal))
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:  # a workflow step that no longer fits the article
            request.save_refused = Refusal(_("Ikke lagret"), " ".join(refusal.messages))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish_article"] = can_publish(request.user)
        context.update(self.companion_context(request, obj))
        context.update(writing.screen_context(request, context["inline_admin_formsets"]))
        refusal = getattr(request, "save_refused", None)
        if refusal is not None:
            context["refusal"] = refusal
            context["errors"] = None  # not «Rett feilen nedenfor»: there is nothing to correct
        if obj is not None and obj.pk:
            pending = PendingChange.objects.filter(article=obj).first()
            context["pending_change"] = pending
            if pending or not obj.is_published:
                context["preview_url"] = reverse("articles:preview", kwargs={"pk": obj.pk})
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        kept_publication = getattr(request, "publication_kept_on_restore", None)
        if kept_publication is not None:
            for field, value in kept_publication.items():
                setattr(obj, field, value)
        request.pending_change = services.save_article(
            article=obj,
            by=request.user,
            loaded_edit_token=form.cleaned_data.get("loaded_edit_token"),
            intent=form.intent,
            tag_names=form.cleaned_data.get("tags"),
        )
        autosave.discard_draft(user=request.user, article=obj if change else None)
        if request.pending_change is not None:
            self.message_user(
                request,
                _(
                    "Endringen venter på godkjenning fra en redaktør. Leserne ser den "
                    "publiserte versjonen til den er godkjent."
                ),
                messages.WARNING,
            )

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
        if request.pending_change is not None:
            return  # the article itself is untouched until an editor approves
        super().save_related(request, form, formsets, change)
        article = form.instance
        if "_submit" in request.POST:
            services.submit_article(article=article, by=request.user)
            self.message_user(request, _("Artikkelen er sendt til vask."))
        elif "_send_back" in request.POST:
            services.send_back_article(article=article, by=request.user)
            self.message_user(request, _("Artikkelen er sendt tilbake til journalisten."))
        action = form.publishing_action
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

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "pending_change", None) is not None:
            return _("Endring foreslått; venter på godkjenning fra en redaktør.")
        return super().construct_change_message(request, form, formsets, add)

    # A workflow step taken with the save (sent to the desk, published...) is named in the
    # history beside the changed fields, not replaced by them.
    def log_addition(self, request, obj, message):
        step = self.workflow_step()
        return self.name_workflow_step(step, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        step = self.workflow_step()
        entry = super().log_change(request, obj, message)
        return self.name_workflow_step(step, entry, fields_changed=bool(message))

    @staticmethod
    def workflow_step():
        return reversion.get_comment() if reversion.is_active() else ""

    @staticmethod
    def name_workflow_step(step, entry, fields_changed=True):
        if step:
            fields = entry.get_change_message() if fields_changed else ""
            reversion.set_comment(f"{fields} {step}".strip())
        return entry

    # Restoring a revision brings back text, photo, bylines, tags and links, never a
    # publication state nor an earlier «Oppdatert»: those are public facts.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        version = Version.objects.get_for_object_reference(Article, unquote(object_id))
        version = version.filter(pk=version_id).first()
        if article is None or version is None:
            raise Http404
        if article.is_released and not can_publish(request.user):
            raise PermissionDenied
        stored_update = version.field_dict.get("updated_at")
        request.publication_kept_on_restore = {
            "status": article.status,
            "published_at": article.published_at,
            "published_by_id": article.published_by_id,
            "deleted_at": None,
            "deleted_by_id": None,
            "updated_at": max(
                (moment for moment in (article.updated_at, stored_update) if moment),
                default=None,
            ),
        }
        extra_context = {**(extra_context or {}), "changes_since": changes_since(version, article)}
        return super().revision_view(request, object_id, version_id, extra_context)

    # Deleted articles go to the bin (see bin_view), which keeps them whole.
    def recoverlist_view(self, request, extra_context=None):
        return redirect("admin:articles_article_bin")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404

    def delete_model(self, request, obj):
        services.move_to_bin(article=obj, by=request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("«%s» er lagt i papirkurven. En redaktør kan hente den tilbake hel derfra.")
            % obj_display,
        )
        return redirect("admin:articles_article_changelist")

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.move_to_bin(article=article, by=request.user)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the article goes to the bin with everything it has.
        perms_needed = set() if services.can_use_bin(request.user) else {_("artikkel")}
        return [str(article) for article in objs], {}, perms_needed, []

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_use_bin": services.can_use_bin(request.user)}
        return super().changelist_view(request, extra_context)

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

    def change_publication_of_selected(
        self, request, queryset, *, change, unchanged, done, skipped
    ):
        """One bulk publishing action: ``change`` every article not in ``unchanged``."""
        left_alone = queryset.filter(pk__in=unchanged).count()
        changed = 0
        for article in queryset.exclude(pk__in=unchanged):
            change(article=article, by=request.user)
            changed += 1
        if changed:
            self.message_user(request, done % count_articles(changed))
        if left_alone:
            self.message_user(request, skipped % count_articles(left_alone), messages.WARNING)

    @admin.action(description=_("Publiser valgte artikler nå"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.change_publication_of_selected(
            request,
            queryset,
            change=services.publish_article,
            unchanged=queryset.published(),
            done=_("%s er publisert."),
            skipped=_("%s var allerede publisert og ble ikke endret."),
        )

    @admin.action(description=_("Avpubliser valgte artikler"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.change_publication_of_selected(
            request,
            queryset,
            change=services.unpublish_article,
            unchanged=queryset.drafts(),
            done=_("%s er avpublisert og er nå kladder."),
            skipped=_("%s var allerede kladd og ble ikke endret."),
        )


@admin.register(Image)
class ImageAdmin(TypedSearchMixin, admin.ModelAdmin):
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


class BylineOfUserInline(admin.StackedInline):
    """The byline a login writes under, on the user's own page."""

    model = Person
    fields = ["name", "title"]
    extra = 0
    max_num = 1
    can_delete = False
    show_change_link = True
    verbose_name = _("byline")
    verbose_name_plural = _("byline")


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NewsroomUserAdmin(UserAdmin):
    inlines = [BylineOfUserInline]
    list_display = [*UserAdmin.list_display, "byline"]
    list_select_related = ["person"]

    @admin.display(description=_("byline"))
    def byline(self, user):
        person = getattr(user, "person", None)
        return person.name if person else "–"


# taggit's own TagAdmin offers an English «Merge selected tags» to everyone with view access
# and merges without checking permissions; the newsroom's tag list keeps to the basics.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TypedSearchMixin, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PfuRuling)
class PfuRulingAdmin(admin.ModelAdmin):
    """Editors record rulings here (group «Redaktør»); saving goes through the service."""

    list_display = ["case_number", "article", "outcome", "decided_on"]
    list_filter = ["outcome"]
    search_fields = ["case_number", "article__title"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["article"]
    fields = ["article", "decided_on", "outcome", "case_number", "summary", "decision_url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        services.save_pfu_ruling(ruling=obj, by=request.user)


@admin.register(AboutPage)
class AboutPageAdmin(admin.ModelAdmin):
    """One page: the list and «Legg til» both lead straight to it once it exists."""

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return self._to_the_page(request) or super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return self._to_the_page(request) or super().add_view(request, form_url, extra_context)

    def _to_the_page(self, request):
        page = AboutPage.objects.first()
        if page is not None and self.has_view_or_change_permission(request, page):
            return redirect("admin:articles_aboutpage_change", page.pk)
        return None
