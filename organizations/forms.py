"""Forms of groups and departments; every message in Japanese."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.analyser import name_reading
from core.bulk import IdListField
from core.forms import ReadingField, offer_reading
from core.locking import VersionField
from core.validators import refuse_emoji, validate_image

from .models import (
    Activity,
    ActivityField,
    ActivityPhoto,
    CollaborationForm,
    ContactPerson,
    Department,
    DepartmentMembership,
    Organization,
    OrganizationMembership,
)
from .selectors import PROFILE_FIELDS
from .services import DEPARTMENT_FIELDS


class VersionedForm(forms.Form):
    """Carries the version the user loaded (optimistic locking)."""

    version = VersionField()


class OrganizationProfileForm(forms.ModelForm):
    """The public profile of a group; what a coordinator reviews."""

    version = VersionField()
    website = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")
    activity_fields = forms.ModelMultipleChoiceField(
        label=_("活動分野"),
        queryset=ActivityField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    open_forms = forms.ModelMultipleChoiceField(
        label=_("関心のある協働の形態"),
        queryset=CollaborationForm.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organization
        fields = [f for f in PROFILE_FIELDS if f != "website"]  # website is declared (https by default)
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "activities_summary": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"name_kana": ReadingField}
        help_texts = {
            "public_email": _("一般に公開されます。個人のアドレスではなく団体の窓口をご記入ください。"),
            "logo": _("PNG または JPEG、10MB まで。"),
        }

    field_order = list(PROFILE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_fields"].label_from_instance = str  # the short name, in the language of the page
        offer_reading(self, "name", "name_kana")
        refuse_emoji(self, "name")
        if not self.instance.pk:
            del self.fields["version"]  # a new group has no version to check

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            validate_image(logo)
        return logo


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "name_kana", "title", "phone", "email", "is_primary"]
        field_classes = {"name_kana": ReadingField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_reading(self, "name", "name_kana")
        refuse_emoji(self, "name")


ContactPersonFormSet = forms.inlineformset_factory(
    Organization, ContactPerson, form=ContactPersonForm, extra=1, can_delete=True, max_num=5, validate_max=True
)


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("団体との関係（役職など）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("コーディネーターが確認のためにご連絡することがあります。"),
    )


class BulkProfileReviewForm(forms.Form):
    """Approve or return the ticked requests of the profile review queue (returning sends one reason)."""

    ids = IdListField()
    action = forms.ChoiceField(
        label=_("まとめて行う操作"),
        choices=[("approve", _("選んだ申請を承認する")), ("return", _("選んだ申請を差し戻す"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("差し戻す場合の理由（選んだすべてに同じ理由を送ります）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("差戻しの理由を入力してください。"))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("差戻しの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("招待する方のメールアドレス"))
    role = forms.ChoiceField(
        label=_("役割"), choices=OrganizationMembership.Role.choices, initial=OrganizationMembership.Role.EDITOR
    )


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("招待する職員のメールアドレス"))
    department = forms.ModelChoiceField(
        label=_("所属（担当課・調整部署）"), queryset=Department.objects.select_related("parent")
    )
    role = forms.ChoiceField(
        label=_("役割"), choices=DepartmentMembership.Role.choices, initial=DepartmentMembership.Role.STAFF
    )


class InvitationSignupForm(forms.Form):
    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = ReadingField(label=_("姓（よみがな）"), max_length=50)
    given_name_kana = ReadingField(label=_("名（よみがな）"), max_length=50)
    password1 = forms.CharField(label=_("パスワード"), widget=forms.PasswordInput, min_length=8)
    password2 = forms.CharField(label=_("パスワード（確認）"), widget=forms.PasswordInput)

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        offer_reading(self, "family_name", "family_name_kana")
        refuse_emoji(self, "family_name", "given_name")
        offer_reading(self, "given_name", "given_name_kana")

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from accounts.models import User

        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("パスワードが一致しません。"))
        elif p1:
            try:
                validate_password(p1, User(email=self.email, family_name=cleaned.get("family_name", "")))
            except ValidationError as e:
                self.add_error("password1", e)
        return cleaned


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "date_from", "date_to", "place", "body"]
        widgets = {
            "date_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("終了日は開始日以降の日付にしてください。"))
        return cleaned


class ActivityPhotoForm(forms.ModelForm):
    class Meta:
        model = ActivityPhoto
        fields = ["image", "alt_text"]
        help_texts = {"image": _("PNG または JPEG、10MB まで。"), "alt_text": _("写真の内容を短く説明してください。")}

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        if image and hasattr(image, "content_type"):
            try:
                validate_image(image)
            except ValidationError as e:
                self.add_error("image", e)
        if image and not cleaned.get("alt_text"):
            self.add_error("alt_text", _("写真の説明（代替テキスト）を入力してください。"))
        return cleaned


ActivityPhotoFormSet = forms.inlineformset_factory(
    Activity,
    ActivityPhoto,
    form=ActivityPhotoForm,
    extra=ActivityPhoto.MAX_PER_ACTIVITY,
    max_num=ActivityPhoto.MAX_PER_ACTIVITY,
    validate_max=True,
    can_delete=True,
)


class DepartmentForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Department
        fields = list(DEPARTMENT_FIELDS)
        widgets = {"duties": forms.Textarea(attrs={"rows": 4}), "policies": forms.Textarea(attrs={"rows": 6})}


class ReadingFilledAdminForm(forms.ModelForm):
    """Admin forms of groups and departments: a name saved without its よみがな gets the analyser's
    reading (the admin can correct it afterwards); a reading typed must be hiragana."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_emoji(self, "name")
        if "name_kana" in self.fields:
            self.fields["name_kana"] = ReadingField(
                label=self.fields["name_kana"].label,
                max_length=self._meta.model._meta.get_field("name_kana").max_length,
                required=False,
                help_text=_("空欄のまま保存すると、名称から読みを入れます。"),
            )

    def clean(self):
        cleaned = super().clean()
        if "name_kana" in self.fields and not cleaned.get("name_kana") and cleaned.get("name"):
            cleaned["name_kana"] = name_reading(cleaned["name"])
        return cleaned
