"""The writing screen's helpers: the live preview and the photo picker (docs/newsroom.md).

Both answer the article form's own script (static/js/article-editor.js) and never change an
article: the preview renders what is typed with the published page's pipeline, the picker
finds photos and adds one to the library the way the photo form does.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from .forms import ImageForm
from .models import BODY_MAX_LENGTH, Article, Byline, RelatedLink
from .photos import Image

# Shown whole in search results and when shared (Google cuts at about 60–70 characters).
TITLE_RECOMMENDED_LENGTH = 70
TITLE_HELP = _(
    "Anbefalt lengde er høyst %(length)d tegn: da vises tittelen hel i søkeresultater og "
    "når saken deles."
) % {"length": TITLE_RECOMMENDED_LENGTH}
BODY_HELP = _(
    "Avsnitt skilles med en tom linje. <code>## </code> først på linjen gir en mellomtittel. "
    "Et avsnitt som starter med <code>– </code> (tankestrek og mellomrom) er et sitat. "
    "Lenke: <code>[tekst](https://…)</code>. Bilde fra bildearkivet: "
    "<code>![beskrivelse](bilde:12)</code> alene i et eget avsnitt."
)
PHOTOS_PER_SEARCH = 24
PREVIEW_LIMITS = {
    "title": Article._meta.get_field("title").max_length,
    "lead": BODY_MAX_LENGTH,
    "body": BODY_MAX_LENGTH,
}


def can_write(user):
    return user.has_perm("articles.change_article") or user.has_perm("articles.add_article")


def refusal(message, status):
    return JsonResponse({"error": str(message)}, status=status)


@require_POST
def preview_view(request):
    """Title, lead and body as the published page shows them; nothing is saved."""
    if not can_write(request.user):
        raise PermissionDenied
    typed = {name: request.POST.get(name, "") for name in PREVIEW_LIMITS}
    for name, limit in PREVIEW_LIMITS.items():
        if len(typed[name]) > limit:
            label = Article._meta.get_field(name).verbose_name
            return refusal(
                _("%(field)s er for lang til forhåndsvisning: høyst %(limit)d tegn.")
                % {"field": label.capitalize(), "limit": limit},
                413,
            )
    article = Article(**typed)
    article.render_body()
    return JsonResponse(
        {"title": article.title, "lead": article.lead, "body_html": article.body_html}
    )


def photo_as_json(image):
    sources = image.sources or {}
    return {
        "id": image.pk,
        "thumbnail": sources.get("smallest", ""),
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit_line,
        "label": str(image),
    }


@require_GET
def photo_search_view(request):
    """The newest photos, those whose text or credit matches what is typed, or one by id."""
    if not request.user.has_perm("articles.view_image"):
        raise PermissionDenied
    photos = Image.objects.select_related("photographer")
    term = request.GET.get("q", "").strip()
    chosen = request.GET.get("id", "")
    if chosen.isdigit():
        photos = photos.filter(pk=chosen)
    elif term:
        photos, _duplicates = admin.site.get_model_admin(Image).get_search_results(
            request, photos, term
        )
    return JsonResponse({"photos": [photo_as_json(p) for p in photos[:PHOTOS_PER_SEARCH]]})


@require_POST
def photo_upload_view(request):
    """A new photo for the library, checked like the photo form checks it."""
    if not request.user.has_perm("articles.add_image"):
        raise PermissionDenied
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {field: [str(error) for error in errors] for field, errors in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    with transaction.atomic():
        image = form.save()
        image_admin = admin.site.get_model_admin(Image)
        image_admin.log_addition(request, image, [{"added": {}}])
    return JsonResponse({"photo": photo_as_json(image)}, status=201)


def screen_context(request, inline_admin_formsets):
    """What the writing screen's template needs beyond the admin's own change form context:
    the bylines and related articles placed where the page shows them, and the picker's
    upload form."""
    by_model = {inline.formset.model: inline for inline in inline_admin_formsets}
    placed = {by_model.get(Byline), by_model.get(RelatedLink)}
    return {
        "byline_inline": by_model.get(Byline),
        "related_inline": by_model.get(RelatedLink),
        "other_inlines": [inline for inline in inline_admin_formsets if inline not in placed],
        "photo_upload_form": (
            ImageForm(auto_id="photo_upload_%s")
            if request.user.has_perm("articles.add_image")
            else None
        ),
    }


# (view, route, name) of the writing screen's own requests, added by ArticleAdmin.get_urls.
ROUTES = [
    (preview_view, "skriv/forhandsvisning/", "writing_preview"),
    (photo_search_view, "skriv/bilder/", "photo_search"),
    (photo_upload_view, "skriv/bilder/last-opp/", "photo_upload"),
]


class TitleInput(forms.Textarea):
    """A full-width headline box that wraps, so a long headline is seen whole, with a live
    character count (shown by the script). A line break typed or pasted becomes a space, as
    in every one-line field (articles.text)."""

    template_name = "writing/title_input.html"

    def __init__(self):
        super().__init__(
            attrs={
                "class": "writing-title",
                "rows": 2,
                "data-recommended": TITLE_RECOMMENDED_LENGTH,
            }
        )


class BodyEditor(forms.Textarea):
    """The body's textarea, the markup rules, and the live preview beside it (by the script)."""

    template_name = "writing/body_editor.html"

    def __init__(self):
        super().__init__(attrs={"class": "writing-body__text", "rows": 24, "cols": 60})


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with a name: their «Dato:» and «Tid:» are plain
    text, and the field's label points at neither."""

    def __init__(self, label):
        super().__init__()
        for widget, part in zip(self.widgets, (_("dato"), _("klokkeslett")), strict=True):
            widget.attrs["aria-label"] = f"{capfirst(label)}, {part}"


class NamedAutocompleteSelect(AutocompleteSelect):
    """Select2 names its box after the chosen option, and with none chosen after this
    placeholder: without one, a screen reader meets a combobox with no name."""

    def __init__(self, *args, placeholder, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        return {**attrs, "data-placeholder": str(self.placeholder)}


class PhotoSelect(NamedAutocompleteSelect):
    """The lead photo's autocomplete, with a thumbnail of the chosen photo and the picker."""

    template_name = "writing/photo_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = str(value or "")
        context["photo"] = (
            Image.objects.select_related("photographer").filter(pk=chosen).first()
            if chosen.isdigit()
            else None
        )
        return context


class KnownChoiceSelect(NamedAutocompleteSelect):
    """An inline row's autocomplete that shows its saved choice without a query of its own:
    the inline loads it with the rows (select_related), so the form costs the same with ten
    bylines as with one."""

    known = None  # {str(pk): object}, set per row by KnownChoicesInline

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in self.choices.field.empty_values]
        if not chosen or any(pk not in (self.known or {}) for pk in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in chosen:
            label = self.choices.field.label_from_instance(self.known[pk])
            options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


class WritingInline:
    """Mixin for the writing screen's tabular inlines (bylines, related articles): the one
    autocomplete field (``known_choice``) is loaded with the rows, and every cell's input is
    named for screen readers, as a table's column heading is not its label."""

    known_choice = None
    known_choice_placeholder = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.known_choice)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.known_choice:
            kwargs["widget"] = KnownChoiceSelect(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                placeholder=self.known_choice_placeholder,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field_name = self.known_choice

        class RowForm(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    return
                chosen = getattr(self.instance, field_name)
                wrapper = self.fields[field_name].widget
                getattr(wrapper, "widget", wrapper).known = {str(chosen.pk): chosen}

        class Rows(formset):
            form = RowForm

            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = _("Fjern raden")

        return Rows
