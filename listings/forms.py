from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.bulk import IdListField
from core.locking import VersionField
from core.validators import refuse_emoji, validate_document
from core.widgets import QuickSelect
from events.models import ExchangeEvent
from organizations.models import ActivityField, Area, CollaborationForm, Department, Party

from .models import DEPARTMENT_KIND_CHOICES, Interest, Listing


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def parties_queryset(ids):
    return Party.objects.filter(pk__in=ids).select_related("organization", "department__parent").order_by("kind", "id")


class ListingForm(forms.ModelForm):
    owner = PartyChoiceField(label=_("掲載者"), queryset=Party.objects.none(), empty_label=None)
    version = VersionField()
    attachment = forms.FileField(
        label=_("添付ファイルを追加"),
        required=False,
        validators=[validate_document],
        help_text=_("PDF・PNG・JPEG、10MBまで"),
    )

    class Meta:
        model = Listing
        fields = [
            "owner",
            "kind",
            "title",
            "body",
            "problem",
            "activity_fields",
            "collaboration_forms",
            "area",
            "period_start",
            "period_end",
            "budget_note",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "activity_fields": forms.CheckboxSelectMultiple,
            "collaboration_forms": forms.CheckboxSelectMultiple,
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, party_ids=(), as_department=False, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_emoji(self, "title")
        if self.instance.pk:
            del self.fields["owner"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            self.fields["owner"].queryset = parties_queryset(party_ids)
            self.fields["kind"].initial = Listing.Kind.NEED
        self.fields["kind"].choices = DEPARTMENT_KIND_CHOICES if as_department else Listing.Kind.choices
        self.fields["activity_fields"].queryset = ActivityField.objects.all()
        self.fields["collaboration_forms"].queryset = CollaborationForm.objects.all()
        self.fields["area"].queryset = Area.objects.all()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("終了日は開始日以降の日付にしてください。"))
        return data

    def listing_data(self) -> dict:
        keys = ("kind", "title", "body", "problem", "area", "period_start", "period_end", "budget_note")
        return {k: self.cleaned_data[k] for k in keys}


class PublishForm(forms.Form):
    public_interest = forms.BooleanField(
        label=Listing._meta.get_field("screen_public_interest").verbose_name, required=False
    )
    fits_plans = forms.BooleanField(label=Listing._meta.get_field("screen_fits_plans").verbose_name, required=False)
    department_agrees = forms.BooleanField(
        label=Listing._meta.get_field("screen_department_agrees").verbose_name, required=False
    )
    note = forms.CharField(
        label=_("審査メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean_public_interest(self):
        value = self.cleaned_data["public_interest"]
        if not value:
            raise forms.ValidationError(_("公益性が確認できない場合は、公開せずに差戻してください。"))
        return value


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("差戻しの理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class BulkReviewForm(forms.Form):
    """Publish or return the ticked listings of the review queue; publishing records the same
    screening checklist for each, returning the same reason."""

    ACTIONS = [("publish", _("選んだ掲載を公開する")), ("return", _("選んだ掲載を差戻す"))]

    ids = IdListField()
    action = forms.ChoiceField(
        label=_("まとめて行う操作"), choices=ACTIONS, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    public_interest = forms.BooleanField(
        label=Listing._meta.get_field("screen_public_interest").verbose_name, required=False
    )
    fits_plans = forms.BooleanField(label=Listing._meta.get_field("screen_fits_plans").verbose_name, required=False)
    department_agrees = forms.BooleanField(
        label=Listing._meta.get_field("screen_department_agrees").verbose_name, required=False
    )
    note = forms.CharField(
        label=_("審査メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    reason = forms.CharField(
        label=_("差戻しの理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "publish" and not data.get("public_interest"):
            self.add_error("public_interest", _("公益性が確認できない場合は、公開せずに差戻してください。"))
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("差戻しの理由を入力してください。"))
        return data


class InterestForm(forms.ModelForm):
    from_party = PartyChoiceField(
        label=_("送信者（団体・担当課）"), queryset=Party.objects.none(), empty_label=None, widget=QuickSelect
    )

    class Meta:
        model = Interest
        fields = ["from_party", "message", "contribution", "origin_event"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "contribution": forms.Textarea(attrs={"rows": 3}),
            "origin_event": QuickSelect,
        }
        labels = {"contribution": _("提供できること・一緒にできること")}

    def __init__(self, *args, parties=(), **kwargs):
        """`parties`: (id, name) of the parties the sender may send from (permissions.interest_party_choices)."""
        super().__init__(*args, **kwargs)
        self.fields["from_party"].queryset = Party.objects.filter(pk__in=[pk for pk, _name in parties])
        self.fields["from_party"].widget.choices = list(parties)
        origin_event = self.fields["origin_event"]
        events = ExchangeEvent.objects.filter(status=ExchangeEvent.Status.PUBLISHED).order_by("-starts_at")
        origin_event.queryset = events  # validates the chosen event
        origin_event.required = False
        origin_event.empty_label = _("（なし）")
        # Shown: (id, title) rows, read only if the form is rendered (hundreds of events over the years).
        origin_event.widget.choices = CallableChoiceIterator(
            lambda: [("", origin_event.empty_label), *events.values_list("pk", "title")]
        )
        self.fields["message"].max_length = 4000


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("返信"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class FollowForm(forms.Form):
    activity_fields = forms.ModelMultipleChoiceField(
        label=_("フォローする活動分野"),
        queryset=ActivityField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("フォローする担当課"),
        queryset=Department.objects.filter(parent__isnull=False).select_related("parent"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
