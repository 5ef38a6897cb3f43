from django import forms
from django.conf import settings
from django.contrib.admin.widgets import get_select2_language
from taggit.utils import parse_tags


class TagAutocomplete(forms.SelectMultiple):
    """Tags picked from existing ones as you type, or new ones typed in full.

    taggit's TagField has no admin autocomplete, so this reuses the admin's own Select2 in
    "tags" mode. The names are submitted one by one and reach TagNamesField as a list, so a
    name keeps its commas and quotes.
    """

    def __init__(self, url, attrs=None):
        self.url = url
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        names = self.tag_names(value)
        self.choices = [(tag_name, tag_name) for tag_name in names]
        attrs = {
            **(attrs or {}),
            "class": "newsroom-tag-autocomplete",
            "data-autocomplete-url": str(self.url),
            "data-placeholder": "Skriv for å søke eller legge til stikkord",
            "lang": get_select2_language() or "",
        }
        return super().get_context(name, names, attrs)

    @staticmethod
    def tag_names(value):
        if not value:
            return []
        if isinstance(value, str):
            return parse_tags(value)
        return [getattr(tag, "name", tag) for tag in value]

    def value_omitted_from_data(self, data, files, name):
        return False

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *([f"admin/js/vendor/select2/i18n/{language}.js"] if language else []),
                "admin/js/jquery.init.js",
                "js/tag-autocomplete.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                ]
            },
        )
