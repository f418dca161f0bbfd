from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import DATETIME_WIDGET
from core.locking import VersionField
from core.models import TEXT_LONG, TEXT_SHORT
from core.params import valid_ids
from organizations.models import ActivityField, Department, Party

from .models import Match, Meeting
from .selectors import departments_taking_part


class PartyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, party):
        return f"{party.name}（{party.get_kind_display()}）"


def party_queryset():
    return (
        Party.objects.filter(Q(organization__is_published=True) | Q(department__isnull=False))
        .select_related("organization", "department__parent")
        .order_by("kind", "organization__name_kana", "department__order")
    )


class PartyPicker(forms.Widget):
    """Chosen parties as checked chips, plus a search box that finds more (matching.views.party_search).

    With htmx the results appear as one types and a ticked result becomes a chip
    (static/js/party-picker.js); without JavaScript the 検索 button posts the form back with the
    results listed, and ticked results are kept. Unticking is the only way to drop a choice.
    """

    template_name = "matching/widgets/party_picker.html"
    search_button = "_party_search"  # a submit of this name searches instead of saving

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.query = ""
        self.results = None

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # unticking every chip sends nothing: that is an empty choice

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = valid_ids(value)
        chosen = Party.objects.filter(pk__in=ids).select_related("organization", "department")
        context["widget"].update(
            chosen=sorted(chosen, key=lambda p: ids.index(p.pk)),
            query=self.query,
            results=self.results,
            search_button=self.search_button,
        )
        return context


class MatchProposeForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    parties = PartyChoiceField(
        label=_("参加者（団体・担当課・大学・企業）"),
        queryset=Party.objects.none(),
        widget=PartyPicker,
        help_text=_("2つ以上選んでください。名前やよみがなで検索し、チェックを付けると参加者に加わります。"),
    )
    summary = forms.CharField(
        label=_("概要"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=TEXT_LONG
    )

    def __init__(self, *args, parties_qs=None, search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = parties_qs if parties_qs is not None else party_queryset()
        if search is not None:  # (query, results) of a search without JavaScript
            self.fields["parties"].widget.query, self.fields["parties"].widget.results = search

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if len(parties) < 2:
            raise forms.ValidationError(_("参加者を2つ以上選んでください。"))
        return parties


class MatchRequestForm(forms.Form):
    party = forms.ModelChoiceField(label=_("依頼する当事者"), queryset=Party.objects.none())
    others = PartyChoiceField(
        label=_("協働したい相手"),
        queryset=Party.objects.none(),
        widget=PartyPicker,
        help_text=_("名前やよみがなで検索し、チェックを付けると加わります。"),
    )
    message = forms.CharField(label=_("依頼の内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, own_parties, search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = own_parties
        self.fields["party"].label_from_instance = lambda p: p.name
        self.fields["others"].queryset = party_queryset()
        if search is not None:  # (query, results) of a search without JavaScript
            self.fields["others"].widget.query, self.fields["others"].widget.results = search


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("回答"),
        choices=[("1", _("承諾する")), ("0", _("辞退する"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_SHORT
    )


class FailForm(forms.Form):
    reason = forms.ChoiceField(label=_("不成立の理由"), choices=[("", "---------"), *Match.FailureReason.choices])
    note = forms.CharField(label=_("不成立の詳細"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("メモ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    coordinator_only = forms.BooleanField(label=_("コーディネーターのみに表示"), required=False)


class MoveForm(forms.Form):
    to = forms.CharField(label=_("移動先の段階"))
    version = VersionField()
    reason = forms.ChoiceField(
        label=_("不成立の理由"), choices=[("", "---------"), *Match.FailureReason.choices], required=False
    )
    note = forms.CharField(label=_("メモ"), required=False, max_length=2000)


class BoardFilterForm(forms.Form):
    """The pipeline board's filters, from the query string. The template draws the fields itself;
    a value that does not validate is dropped and the other filters still apply.

    The department filter is a type-ahead with a plain fallback: `department_q` (part of a name)
    narrows the board to every department in a match that it names, and lists them to pick one;
    `department` is the one picked. A typed name wins over an earlier pick.
    """

    CHOICES_SHOWN = 20

    coordinator = forms.ModelChoiceField(queryset=get_user_model().objects.all(), required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.select_related("parent"), required=False)
    department_q = forms.CharField(max_length=100, required=False)
    field = forms.ModelChoiceField(queryset=ActivityField.objects.all(), required=False)
    fy = forms.IntegerField(min_value=1900, max_value=2200, required=False)
    stale = forms.BooleanField(required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.is_valid()
        for name in list(self.errors):
            self.cleaned_data[name] = None
        self.found = []
        if self.cleaned_data["department_q"]:
            self.cleaned_data["department"] = None
            # Every department the name matches, in display order: their parties filter the board,
            # the first ones are offered to pick from.
            self.found = list(departments_taking_part(self.cleaned_data["department_q"]).values_list("pk", "party_id"))
            self.parties = [party for _pk, party in self.found]
        else:
            department = self.cleaned_data["department"]
            self.parties = [department.party_id] if department else None

    def selector_filters(self) -> dict:
        """Keyword arguments for matching.selectors.board and board_stage_page."""
        data = self.cleaned_data
        return {
            "coordinator": data["coordinator"],
            "parties": self.parties,
            "activity_field": data["field"],
            "fiscal_year": data["fy"],
            "stale_only": bool(data["stale"]),
        }

    def query(self, *, without=()) -> dict:
        """The filters in force as query parameters, for links that keep them."""
        values = {name: getattr(value, "pk", value) for name, value in self.cleaned_data.items()}
        return {name: value for name, value in values.items() if value and name not in without}

    def department_choices(self):
        """For a typed name: up to CHOICES_SHOWN departments, each with the query that picks it, and
        whether there are more. None when no name is typed."""
        if not self.cleaned_data["department_q"]:
            return None
        shown = [pk for pk, _party in self.found[: self.CHOICES_SHOWN]]
        by_pk = Department.objects.select_related("parent").in_bulk(shown)
        others = self.query(without=("department", "department_q"))
        return {
            "departments": [(by_pk[pk], urlencode({**others, "department": pk})) for pk in shown],
            "more": len(self.found) > self.CHOICES_SHOWN,
        }


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("開始日時"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("終了日時"), widget=DATETIME_WIDGET, required=False)
    online_url = forms.URLField(label=_("オンライン会議のURL"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["kind", "starts_at", "ends_at", "place", "online_url", "attendees", "agenda"]
        widgets = {"attendees": forms.Textarea(attrs={"rows": 3}), "agenda": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("場所かオンライン会議のURLを入力してください。"))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("終了日時は開始日時より後にしてください。"))
        return data


class MinutesForm(forms.Form):
    version = VersionField()
    minutes = forms.CharField(label=_("議事録"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("次の行動"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("担当"), queryset=Party.objects.none(), required=False)
    due_on = forms.DateField(label=_("期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, parties_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = parties_qs if parties_qs is not None else Party.objects.none()
        self.fields["owner"].label_from_instance = lambda p: p.name


class BaseActionItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, parties_qs=None, **kwargs):
        self.parties_qs = parties_qs
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"parties_qs": self.parties_qs}


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseActionItemFormSet, extra=3, max_num=20)


class OutcomesForm(forms.Form):
    interests = forms.ModelMultipleChoiceField(
        label=_("この場から始まった相談・関心表明"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    matches = forms.ModelMultipleChoiceField(
        label=_("この場から始まったマッチング"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, interests_qs, matches_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = interests_qs
        self.fields["matches"].queryset = matches_qs
        self.fields["interests"].label_from_instance = lambda i: f"{i.from_party} → {i.listing}"
