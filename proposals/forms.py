from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import party_ids_of
from core.forms import DATETIME_WIDGET
from core.japanese import fiscal_year
from core.locking import VersionField
from core.validators import validate_document
from events.models import ExchangeEvent
from listings.forms import PartyChoiceField, parties_queryset
from listings.models import Listing
from organizations.models import Department, Party

from .models import Call, CallTheme, CallType, Proposal, RejectionReason
from .permissions import eligible_party_ids
from .services import CALL_FIELDS, PROPOSAL_FIELDS, TERM_END_STEPS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("テーマ（行政提案型: 公開中の協働テーマから）"),
        queryset=Listing.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria_text = forms.CharField(
        label=_("審査項目と重み"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("1行に1項目、「項目名:重み」の形で（例: 公益性:3）。公募を始めた後は変更できません。"),
    )
    events = forms.ModelMultipleChoiceField(
        label=_("この公募の説明会・意見交換会"),
        queryset=ExchangeEvent.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("審査委員"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("コーディネーターと、この公募を審査する職員・有識者"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Call
        fields = CALL_FIELDS
        widgets = {
            "call_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "briefing_on": DATE,
            "deadline": DATETIME_WIDGET,
            "presentation_on": DATE,
            "decision_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call_type"].choices = CallType.choices
        if not self.instance.pk:
            self.fields["fiscal_year"].initial = fiscal_year(timezone.localdate())
        self.fields["themes"].queryset = (
            Listing.objects.published()
            .filter(kind=Listing.Kind.NEED, owner__kind=Party.Kind.DEPARTMENT)
            .select_related("owner__department")
            .order_by("owner__department__name_kana", "title")
        )
        self.fields["themes"].label_from_instance = lambda obj: f"{obj.title}（{obj.owner.department.name}）"
        self.fields["events"].queryset = ExchangeEvent.objects.exclude(status=ExchangeEvent.Status.CANCELLED)
        self.fields["reviewers"].queryset = (
            get_user_model().objects.filter(is_active=True, department_memberships__isnull=False).distinct()
        )
        if self.instance.pk:
            self.fields["themes"].initial = [t.listing_id for t in self.instance.themes.all()]
            self.fields["events"].initial = list(self.instance.events.all())
            self.fields["reviewers"].initial = list(self.instance.reviewers.all())
            self.fields["criteria_text"].initial = "\n".join(
                f"{c.name}:{c.weight}" for c in self.instance.criteria.all()
            )
            self.fields["version"].initial = self.instance.version
            if self.instance.status != Call.Status.DRAFT:
                self.fields["criteria_text"].disabled = True

    def clean_criteria_text(self):
        criteria = []
        for number, line in enumerate(self.cleaned_data["criteria_text"].splitlines(), start=1):
            line = line.strip().replace("：", ":")
            if not line:
                continue
            name, _sep, weight = line.rpartition(":")
            if not name.strip() or not weight.strip().isdigit() or int(weight) < 1:
                raise forms.ValidationError(
                    _("%(n)s行目: 「項目名:重み」の形で、重みは1以上の整数にしてください。") % {"n": number}
                )
            criteria.append({"name": name.strip()[:100], "weight": int(weight)})
        if not criteria:
            raise forms.ValidationError(_("審査項目を1つ以上定めてください。"))
        return criteria

    def clean(self):
        data = super().clean()
        if data.get("call_type") == "course" and not data.get("course_name"):
            self.add_error("course_name", _("コースの公募にはコース名が必要です。"))
        if not data.get("year_round") and not data.get("deadline"):
            self.add_error("deadline", _("通年募集でない公募には締切が必要です。"))
        caps = data.get("cap_per_project"), data.get("cap_total")
        if None not in caps and caps[0] > caps[1]:
            self.add_error("cap_per_project", _("1事業あたりの上限額は公募全体の予算額以下にしてください。"))
        return data


class ProposalForm(forms.ModelForm):
    applicant = PartyChoiceField(label=_("提案者"), queryset=Party.objects.none(), empty_label=None)
    attachment = forms.FileField(
        label=_("添付ファイルを追加"),
        required=False,
        validators=[validate_document],
        help_text=_("PDF・PNG・JPEG、10MBまで"),
    )
    version = VersionField()

    class Meta:
        model = Proposal
        fields = ["applicant", *PROPOSAL_FIELDS]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "purpose",
                "content",
                "local_problem",
                "beneficiaries",
                "public_interest",
                "roles",
                "schedule",
                "track_record",
            ]
        } | {"theme": forms.RadioSelect, "term_year": forms.RadioSelect}

    def __init__(self, *args, call: Call, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        parties = party_ids_of(user)
        if self.instance.pk:
            del self.fields["applicant"]
        else:
            del self.fields["version"]  # a new proposal has no version to check
            self.fields["applicant"].queryset = parties_queryset(eligible_party_ids(user, call))
        if call.call_type == "administration":
            self.fields["theme"].queryset = CallTheme.objects.filter(call=call).select_related(
                "listing__owner__department"
            )
            self.fields["theme"].required = True
            self.fields["theme"].empty_label = None
            self.fields["theme"].label_from_instance = lambda t: (
                f"{t.listing.title}（{t.listing.owner.department.name}）"
            )
            del self.fields["department"]
        else:
            del self.fields["theme"]
            self.fields["department"].queryset = (
                Department.objects.filter(parent__isnull=False)
                .select_related("parent")
                .order_by("parent__order", "order", "name_kana")
            )
            self.fields["department"].help_text = _("提案する事業を担当する課（意見交換会で相談した課）")
        self.fields["previous"].queryset = Proposal.objects.filter(
            applicant_id__in=parties, status__in=[Proposal.Status.ADOPTED, Proposal.Status.CONDITIONAL]
        )
        self.fields["previous"].required = False
        for name in ("budget_total", "city_share_requested"):
            self.fields[name].widget.attrs["min"] = 0
        self.fields["city_share_requested"].help_text = _("1事業あたりの上限額: %(cap)s円") % {
            "cap": f"{call.cap_per_project:,}"
        }

    def clean(self):
        data = super().clean()
        total, share = data.get("budget_total"), data.get("city_share_requested")
        if total is not None and share is not None and share > total:
            self.add_error("city_share_requested", _("市負担額は事業額以下にしてください。"))
        if share is not None and share > self.call.cap_per_project:
            self.add_error("city_share_requested", _("1事業あたりの上限額を超えています。"))
        if data.get("term_year") == 2 and not data.get("previous"):
            self.add_error("previous", _("2年目の提案には、採択された1年目の提案を選んでください。"))
        return data


class DepartmentViewForm(forms.Form):
    view = forms.CharField(
        label=_("担当課の意見"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("協働で取り組む意義、課の役割、予算・体制の見込みなど"),
    )


class ReviewForm(forms.Form):
    conflict = forms.BooleanField(
        label=_("この提案と利害関係があります（審査に加わりません）"),
        required=False,
        help_text=_("申告すると採点できず、取り消せません。"),
    )
    comment = forms.CharField(label=_("講評"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s（重み %(w)s）") % {"name": c.name, "w": c.weight},
                choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
                coerce=int,
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not data.get("conflict"):
            for c in self.criteria:
                if data.get(f"c{c.pk}") in (None, ""):
                    self.add_error(f"c{c.pk}", _("1から5で採点してください。"))
        return data

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria if not self.cleaned_data.get("conflict")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"),
        choices=[("adopt", _("採択")), ("adopt_conditionally", _("条件付き採択")), ("reject", _("不採択"))],
        widget=forms.RadioSelect,
    )
    amount = forms.IntegerField(label=_("採択額（市負担額・円）"), min_value=1, required=False)
    conditions = forms.CharField(label=_("採択の条件"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    rejection_category = forms.ChoiceField(
        label=_("不採択の理由（区分）"), choices=[("", "—"), *RejectionReason.choices], required=False
    )
    reason = forms.CharField(
        label=_("不採択の理由（提案者に示されます）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("adopt", "adopt_conditionally") and not data.get("amount"):
            self.add_error("amount", _("採択額を記入してください。"))
        if decision == "adopt_conditionally" and not data.get("conditions", "").strip():
            self.add_error("conditions", _("条件付き採択の条件を記入してください。"))
        if decision == "reject":
            if not data.get("rejection_category"):
                self.add_error("rejection_category", _("不採択の理由の区分を選んでください。"))
            if not data.get("reason", "").strip():
                self.add_error("reason", _("不採択の理由を記入してください。提案者に示されます。"))
        return data


class NextStepForm(forms.Form):
    next_step = forms.ChoiceField(
        label=_("期間終了後の方向性"),
        choices=[(s.value, s.label) for s in TERM_END_STEPS],
        widget=forms.RadioSelect,
    )


class PresentationForm(forms.Form):
    """One row of the 公開プレゼンテーション schedule."""

    order = forms.IntegerField(label=_("発表順"), min_value=1, required=False)
    at = forms.DateTimeField(label=_("発表時刻"), required=False, widget=DATETIME_WIDGET)
