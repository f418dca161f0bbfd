from django import forms

from .models import NoticeKind, NotificationPreference


class PreferencesForm(forms.Form):
    """One choice per kind of notice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NoticeKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationPreference.Delivery.choices,
                widget=forms.RadioSelect,
            )
