"""Sign-up (with names and readings) and the profile form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.japanese import fold_reading, validate_reading

from .models import User


class _ReadingsMixin:
    def clean_family_name_kana(self):
        value = fold_reading(self.cleaned_data.get("family_name_kana"))
        validate_reading(value)
        return value

    def clean_given_name_kana(self):
        value = fold_reading(self.cleaned_data.get("given_name_kana"))
        validate_reading(value)
        return value


class SignupForm(_ReadingsMixin, forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = forms.CharField(label=_("姓（よみがな）"), max_length=50)
    given_name_kana = forms.CharField(label=_("名（よみがな）"), max_length=50)

    def signup(self, request, user):
        for name in ("family_name", "given_name", "family_name_kana", "given_name_kana"):
            setattr(user, name, self.cleaned_data[name])
        user.save(update_fields=["family_name", "given_name", "family_name_kana", "given_name_kana"])


class ProfileForm(_ReadingsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("family_name", "given_name", "family_name_kana", "given_name_kana"):
            self.fields[name].required = True
