"""list_editable that never overwrites a colleague: each row remembers what it was shown."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _


class ShownValueWidget(forms.MultiWidget):
    """The editable input plus a hidden copy of the value the list was rendered with."""

    def __init__(self, widget):
        super().__init__([widget, forms.HiddenInput()])

    def decompress(self, value):
        return [value, value]


class ShownValueField(forms.MultiValueField):
    def __init__(self, field):
        self.editable_field = field
        super().__init__(
            fields=[field, forms.CharField(required=False)],
            widget=ShownValueWidget(field.widget),
            require_all_fields=False,
            required=field.required,
            label=field.label,
        )

    def compress(self, values):
        return tuple(values) if values else (None, None)


class StaleSafeChangelistForm(forms.ModelForm):
    """Refuses a row whose value was changed by someone else after the list was opened.

    Runs inside VersionAdmin's atomic changelist view, so the row lock holds until saved.
    """

    def clean(self):
        cleaned_data = super().clean()
        shown_fields = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, ShownValueField)
        }
        if not shown_fields or self.instance.pk is None:
            return cleaned_data
        current = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
        for name, field in shown_fields.items():
            if name not in cleaned_data:
                continue
            new_value, shown = cleaned_data[name]
            now = getattr(current, name)
            if shown != str(field.editable_field.prepare_value(now)):
                self.add_error(
                    name,
                    _(
                        "Noen andre endret denne til «%(now)s» etter at du åpnet listen. "
                        "Verdien din er ikke lagret; last siden på nytt og prøv igjen."
                    )
                    % {"now": now},
                )
            else:
                cleaned_data[name] = new_value
        return cleaned_data


class StaleSafeListEditableMixin:
    """For a ModelAdmin with list_editable: a second, stale save of a row is refused."""

    def stale_safe_formfield(self, db_field, request, **kwargs):
        field = self.formfield_for_dbfield(db_field, request=request, **kwargs)
        if field is not None and db_field.name in self.list_editable:
            return ShownValueField(field)
        return field

    def get_changelist_form(self, request, **kwargs):
        return forms.modelform_factory(
            self.model,
            form=StaleSafeChangelistForm,
            fields=list(self.list_editable),
            formfield_callback=partial(self.stale_safe_formfield, request=request),
        )

    def get_changelist_formset(self, request, **kwargs):
        # The formset rebuilds its form's fields with this callback, so it must be ours too.
        kwargs["formfield_callback"] = partial(self.stale_safe_formfield, request=request)
        return super().get_changelist_formset(request, **kwargs)
