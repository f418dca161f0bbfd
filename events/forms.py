from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATETIME_WIDGET
from organizations.models import ActivityField, Party

from .models import EventRegistration, ExchangeEvent


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("開始日時"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("終了日時"), widget=DATETIME_WIDGET, required=False)
    activity_fields = forms.ModelMultipleChoiceField(
        label=_("活動分野"), queryset=ActivityField.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    publish = forms.BooleanField(label=_("すぐに公開する"), required=False)

    class Meta:
        model = ExchangeEvent
        fields = ["kind", "title", "theme", "description", "starts_at", "ends_at", "place", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class RegistrationForm(forms.Form):
    party = forms.ModelChoiceField(label=_("申し込む当事者"), queryset=Party.objects.none())
    role = forms.ChoiceField(label=_("参加の形"), choices=EventRegistration.Role.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("発表内容・備考"), max_length=500, required=False)

    def __init__(self, *args, own_parties, preselect=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = own_parties
        self.fields["party"].label_from_instance = lambda p: p.name
        self.initial.setdefault("role", EventRegistration.Role.ATTEND)
        if preselect is not None:
            self.fields["party"].empty_label = None
            self.initial.setdefault("party", preselect)


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("中止の理由（申込のあった団体・担当課に知らせます）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("中止の理由を記入してください。")},
    )
