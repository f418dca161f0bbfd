"""Sign-up (with names and readings) and the profile form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ReadingField, offer_reading
from core.validators import refuse_emoji

from .models import User


class _ReadingsMixin:
    """The analyser offers the readings of the names as they are typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_reading(self, "family_name", "family_name_kana")
        offer_reading(self, "given_name", "given_name_kana")
        refuse_emoji(self, "family_name", "given_name")


class SignupForm(_ReadingsMixin, forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = ReadingField(label=_("姓（よみがな）"), max_length=50)
    given_name_kana = ReadingField(label=_("名（よみがな）"), max_length=50)

    def signup(self, request, user):
        for name in ("family_name", "given_name", "family_name_kana", "given_name_kana"):
            setattr(user, name, self.cleaned_data[name])
        user.save(update_fields=["family_name", "given_name", "family_name_kana", "given_name_kana"])


class ProfileForm(_ReadingsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "phone"]
        field_classes = {"family_name_kana": ReadingField, "given_name_kana": ReadingField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("family_name", "given_name", "family_name_kana", "given_name_kana"):
            self.fields[name].required = True
