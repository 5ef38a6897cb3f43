from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag
from taggit.utils import parse_tags

from .images import sanitise_upload
from .photos import Image
from .text import accept_text


class TagNamesField(TagField):
    """Tag names one by one, as the tag picker sends them (so a picked name may hold a comma),
    or typed in one string and separated by commas; each checked like any text readers see."""

    def clean(self, value):
        names = parse_tags(value) if isinstance(value, str) else value or []
        accepted = {accept_text(name, label=self.label, multiline=False).strip() for name in names}
        max_length = Tag._meta.get_field("name").max_length
        if too_long := sorted(name for name in accepted if len(name) > max_length):
            raise forms.ValidationError(
                _("Stikkordet «%(name)s…» er lengre enn %(max)s tegn."),
                params={"name": too_long[0][:40], "max": max_length},
            )
        return sorted(accepted - {""})


class TagForm(forms.ModelForm):
    """taggit's own tag admin, with a tag name checked like any text readers see."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        label = Tag._meta.get_field("name").verbose_name
        return accept_text(self.cleaned_data["name"], label=label, multiline=False)


class SafeImageField(forms.FileField):
    """An upload checked and re-encoded by articles.images.sanitise_upload."""

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
    )

    def to_python(self, data):
        upload = super().to_python(data)
        return sanitise_upload(upload) if upload is not None else None


class ImageForm(forms.ModelForm):
    file = SafeImageField(
        label=_("bildefil"),
        help_text=_(
            "JPEG, PNG, WebP eller GIF, høyst %(mb)s MB og %(mp)s megapiksler. Bildet lagres "
            "på nytt uten EXIF- og GPS-data."
        )
        % {
            "mb": f"{settings.IMAGE_UPLOAD_MAX_BYTES / 1_000_000:g}",
            "mp": f"{settings.IMAGE_UPLOAD_MAX_PIXELS / 1_000_000:g}",
        },
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "photographer", "credit"]
