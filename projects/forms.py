"""Forms of the project pages. They validate input only; services do every write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.locking import VersionField
from core.models import TEXT_SHORT
from core.validators import refuse_emoji, validate_no_emoji, validate_spreadsheet
from organizations.models import CollaborationForm, Department, Organization

from .models import (
    Agreement,
    AgreementRole,
    CaseStudy,
    CheckIn,
    CollaborationProject,
    FollowUp,
    NextStep,
    Outcome,
    PreConfirmationPart,
    ReviewPart,
)
from .services import (
    AGREEMENT_FIELDS,
    PRE_PART_FIELDS,
    PRE_PART_SUBMIT_REQUIRED,
    REVIEW_PART_FIELDS,
    REVIEW_PART_SUBMIT_REQUIRED,
    REVIEW_SCORE_FIELDS,
    SCORE_MAX,
    pre_part_fields,
)

SCORE_CHOICES = [(i, str(i)) for i in range(1, SCORE_MAX + 1)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """Carries the version the user loaded (optimistic locking)."""

    version = VersionField()


class ProjectTitleForm(VersionedForm):
    title = forms.CharField(
        label=_("事業名"),
        max_length=200,
        validators=[validate_no_emoji],
        help_text=_("協働事業として呼ぶ名前です。テーマの募集文ではなく、取り組む内容が分かる名前にしてください。"),
    )


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), choices=[("", _("すべて")), *CollaborationProject.Status.choices], required=False
    )
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("担当課"), queryset=Department.objects.none(), required=False, empty_label=_("すべて")
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        from core.japanese import fiscal_year_label

        self.fields["fiscal_year"].choices = [("", _("すべて"))] + [(y, fiscal_year_label(y)) for y in years]
        self.fields["department"].queryset = Department.objects.filter(parent__isnull=False).select_related("parent")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ProjectCreateForm(forms.ModelForm):
    organizations = forms.ModelMultipleChoiceField(
        label=_("協働先の団体"), queryset=Organization.objects.all(), required=False
    )
    other_departments = forms.ModelMultipleChoiceField(
        label=_("ほかに参加する担当課"),
        queryset=Department.objects.filter(parent__isnull=False).select_related("parent"),
        required=False,
    )

    class Meta:
        model = CollaborationProject
        fields = [
            "title",
            "department",
            "organizations",
            "other_departments",
            "forms",
            "summary",
            "fiscal_year_start",
            "fiscal_year_end",
            "budget_total",
            "city_share",
            "origin",
        ]
        widgets = {"forms": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_emoji(self, "title")
        self.fields["department"].required = True
        self.fields["department"].queryset = Department.objects.filter(parent__isnull=False).select_related("parent")

    def clean(self):
        data = super().clean()
        total, share = data.get("budget_total"), data.get("city_share")
        if total is not None and share is not None and share > total:
            self.add_error("city_share", _("市負担額は事業額を超えられません。"))
        start, end = data.get("fiscal_year_start"), data.get("fiscal_year_end")
        if start and end and end < start:
            self.add_error("fiscal_year_end", _("終了年度は開始年度より後にしてください。"))
        if not data.get("organizations") and not data.get("other_departments"):
            self.add_error("organizations", _("協働先を1つ以上選んでください。"))
        return data

    def parties(self):
        d = self.cleaned_data
        return [
            d["department"].party,
            *(o.party for o in d["organizations"]),
            *(x.party for x in d["other_departments"]),
        ]


class SubmitRequiredMixin:
    """A sheet part is saved as a draft with blanks, but some fields must be filled to submit it.

    Those fields stay `required`, so they are marked like every required field; only a submit
    validates them, and a blank one then gets its message beside it.
    """

    submit_required: tuple = ()

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for name in self.submit_required:
            if name in self.fields:
                self.fields[name].required = True

    def full_clean(self):
        relaxed = [] if self.submitting else [n for n in self.submit_required if n in self.fields]
        for name in relaxed:
            self.fields[name].required = False
        super().full_clean()
        for name in relaxed:
            self.fields[name].required = True


class PreConfirmationPartForm(SubmitRequiredMixin, forms.ModelForm):
    version = VersionField()
    submit_required = PRE_PART_SUBMIT_REQUIRED

    class Meta:
        model = PreConfirmationPart
        fields = PRE_PART_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in PRE_PART_FIELDS if name != "form_in_mind"}

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        asked = pre_part_fields(party)
        for name in [n for n in self.fields if n in PRE_PART_FIELDS and n not in asked]:
            del self.fields[name]


class PreSheetConfirmForm(VersionedForm):
    purpose_shared = forms.BooleanField(label=_("当事者間で目的が共有されていることを確認した"), required=False)
    chosen_form = forms.ModelChoiceField(
        label=_("選んだ協働の形態"), queryset=CollaborationForm.objects.all(), required=True
    )
    coordinator_note = forms.CharField(
        label=_("コーディネーターの所見"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_SHORT,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("差戻しの理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AgreementForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Agreement
        fields = [*AGREEMENT_FIELDS, "forms"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "interim_review_on": DATE,
            "forms": forms.CheckboxSelectMultiple,
            **{
                n: forms.Textarea(attrs={"rows": 3})
                for n in (
                    "purpose",
                    "content",
                    "cost_note",
                    "responsibility",
                    "personal_data",
                    "ownership",
                    "amendment_termination",
                    "change_reason",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.number == 1:
            del self.fields["change_reason"]

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("終了日は開始日より後にしてください。"))
        total, share = data.get("budget_total"), data.get("city_share")
        if total is not None and share is not None and share > total:
            self.add_error("city_share", _("市負担額は事業額を超えられません。"))
        return data

    def service_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k in AGREEMENT_FIELDS}


class RoleForm(forms.Form):
    task = forms.CharField(label=_("作業"), max_length=300, required=False)
    assignee = forms.ChoiceField(label=_("担当"), choices=AgreementRole.Assignee.choices)


MAX_ROLES = 30
RoleFormSet = forms.formset_factory(RoleForm, extra=2, can_delete=True, max_num=MAX_ROLES, validate_max=True)


def roles_from(formset) -> list[dict]:
    return [
        {"task": f.cleaned_data["task"], "assignee": f.cleaned_data["assignee"]}
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("task") and not f.cleaned_data.get("DELETE")
    ]


class AmendForm(forms.Form):
    change_reason = forms.CharField(label=_("変更の理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["held_on", "is_interim_review", "done", "issues", "next_steps"]
        widgets = {
            "held_on": DATE,
            "done": forms.Textarea(attrs={"rows": 2}),
            "issues": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }


OUTSIDE_PERIOD_LABEL = _("確認書の期間外でも記録する")
OUTSIDE_PERIOD_HELP = _("日付が協働事業確認書の期間の外のときは、確かめたうえでチェックしてください。")


class StartForm(forms.Form):
    # Left empty: today (services.project_start); a malformed date is refused, never replaced by today.
    started_on = forms.DateField(label=_("開始日"), widget=DATE, required=False)
    outside_period_confirmed = forms.BooleanField(
        label=OUTSIDE_PERIOD_LABEL, help_text=OUTSIDE_PERIOD_HELP, required=False
    )


class ReviewPartForm(SubmitRequiredMixin, forms.ModelForm):
    version = VersionField()
    submit_required = REVIEW_PART_SUBMIT_REQUIRED

    class Meta:
        model = ReviewPart
        fields = REVIEW_PART_FIELDS
        widgets = {
            **{n: forms.RadioSelect(choices=SCORE_CHOICES) for n in REVIEW_SCORE_FIELDS},
            **{
                n: forms.Textarea(attrs={"rows": 3})
                for n in ("goal_comment", "went_well", "problems", "improvements", "handover")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REVIEW_SCORE_FIELDS:
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=SCORE_CHOICES,
                coerce=int,
                required=True,  # to submit; a draft may leave it blank (SubmitRequiredMixin)
                empty_value=None,
                widget=forms.RadioSelect,
                help_text=_("1（低い）〜5（高い）"),
            )


class CompleteForm(VersionedForm):
    agreed_improvements = forms.CharField(
        label=_("合意した改善点"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_SHORT
    )
    outcome = forms.ChoiceField(label=_("成果"), choices=Outcome.choices)
    continuation = forms.ChoiceField(label=_("今後の方向性"), choices=[("", "—"), *NextStep.choices], required=False)
    completed_on = forms.DateField(label=_("完了日"), widget=DATE)
    outside_period_confirmed = forms.BooleanField(
        label=OUTSIDE_PERIOD_LABEL, help_text=OUTSIDE_PERIOD_HELP, required=False
    )


class FollowUpForm(forms.ModelForm):
    continued = forms.TypedChoiceField(
        label=_("継続している"),
        choices=[("", _("不明")), ("1", _("はい")), ("0", _("いいえ"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    contact_kept = forms.TypedChoiceField(
        label=_("連絡を継続している"),
        choices=[("", _("不明")), ("1", _("はい")), ("0", _("いいえ"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    class Meta:
        model = FollowUp
        fields = ["recorded_on", "continued", "continuation", "budget_note", "contact_kept", "note"]
        widgets = {"recorded_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].required = True


class CaseStudyForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = ["summary", "contributions"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "contributions": forms.Textarea(attrs={"rows": 4})}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ファイル（.csv または .xlsx）"), validators=[validate_spreadsheet])

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_(".csv か .xlsx のファイルを選んでください。"))
        return f
