from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag
from taggit.utils import parse_tags

from .images import sanitise_upload
from .models import Person
from .photos import Image
from .services import NEWSROOM_ROLES
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


class ColleagueForm(forms.Form):
    """«Ny medarbeider»: login, role and byline in one step (services.create_colleague)."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150)
    email = forms.EmailField(label=_("E-post"))
    username = forms.CharField(
        label=_("Brukernavn"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Det medarbeideren logger inn med. Bokstaver, tall og @/./+/-/_."),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[(role, role) for role in NEWSROOM_ROLES],
        widget=forms.RadioSelect,
        help_text=_("Journalister skriver og legger inn bilder; redaktører publiserer også."),
    )
    person = forms.ModelChoiceField(
        label=_("Eksisterende byline"),
        queryset=Person.objects.filter(user=None, kind=Person.Kind.PERSON),
        required=False,
        help_text=_(
            "Har medarbeideren allerede en byline, velg den. La stå tom for å lage en ny "
            "byline med navnet over."
        ),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brukernavnet «%s» er allerede i bruk.") % username)
        return username
