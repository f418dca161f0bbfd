"""Forms of the survey pages. They validate input only; `surveys.services` does every write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year, fiscal_year_label
from core.locking import VersionField
from core.validators import validate_spreadsheet

from .models import SurveyOption
from .questions import OTHER, QUESTIONS, questions_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_choices():
    current = fiscal_year(timezone.localdate())
    return [(fy, fiscal_year_label(fy)) for fy in range(current, current - 15, -1)]


class SurveyOpenForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(
        label=_("調査対象年度"),
        coerce=int,
        choices=_year_choices,
        help_text=_("この年度の協働事業について各課に回答を求めます。"),
    )
    deadline = forms.DateField(label=_("回答期限"), widget=DATE)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("回答期限は今日以降の日付にしてください。"))
        return deadline


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("差し戻す理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OptionsForm(forms.Form):
    question = forms.ChoiceField(choices=SurveyOption.QUESTION_CHOICES, widget=forms.HiddenInput)
    labels = forms.CharField(
        label=_("選択肢（1行に1つ）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("「その他」は自動で加わります。開始済みの調査の選択肢は変わりません。"),
    )

    def label_list(self) -> list[str]:
        return self.cleaned_data["labels"].splitlines()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("調査結果のファイル（.xlsx）"), validators=[validate_spreadsheet])
    create_departments = forms.BooleanField(label=_("見つからない担当課を作成する"), required=False)


def _field(question, options, prefix):
    """A form field for a question: checkboxes, radio buttons or a text area."""
    name = f"{prefix}{question.code}"
    if question.kind == "text":
        return {name: forms.CharField(label=question.label, required=False, widget=forms.Textarea(attrs={"rows": 3}))}
    choices = [(o, o) for o in options]
    if question.kind == "multi":
        field = forms.MultipleChoiceField(
            label=question.label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )
    else:
        field = forms.ChoiceField(label=question.label, choices=choices, required=False, widget=forms.RadioSelect)
    fields = {name: field}
    if OTHER in options:
        fields[f"{name}_other"] = forms.CharField(label=_("「その他」の内容"), required=False, max_length=2000)
    return fields


class QuestionnaireForm(forms.Form):
    """One department's questionnaire: its own questions (prefix d-) and those of each of its
    projects (prefix p<answer id>-), with the survey's own options."""

    respondent = forms.CharField(label=_("回答者"), max_length=100, required=False)
    version = VersionField()

    def __init__(self, *args, response, project_answers, **kwargs):
        self.response = response
        self.project_answers = project_answers
        options = response.survey.options
        initial = {"respondent": response.respondent, "version": response.version}
        initial |= self._initial("d-", response.answers)
        for pa in project_answers:
            initial |= self._initial(f"p{pa.pk}-", pa.answers)
        super().__init__(*args, initial=initial, **kwargs)
        self.department_questions = questions_for("department", response.category)
        self.project_questions = questions_for("project", response.category)
        for q in self.department_questions:
            self.fields |= _field(q, options.get(q.code, []), "d-")
        for pa in project_answers:
            for q in self.project_questions:
                self.fields |= _field(q, options.get(q.code, []), f"p{pa.pk}-")

    @staticmethod
    def _initial(prefix, answers):
        initial = {}
        for key, value in answers.items():
            q = QUESTIONS.get(key)
            if q is not None and q.kind == "single":
                value = value[0] if value else ""
            initial[f"{prefix}{key}"] = value
        return initial

    def _answers(self, prefix, questions):
        data = {}
        for q in questions:
            value = self.cleaned_data.get(f"{prefix}{q.code}")
            if q.kind == "single":
                value = [value] if value else []
            data[q.code] = value
            if q.is_choice:
                data[f"{q.code}_other"] = self.cleaned_data.get(f"{prefix}{q.code}_other", "")
        return data

    def department_answers(self) -> dict:
        return self._answers("d-", self.department_questions)

    def project_answer_data(self) -> dict[int, dict]:
        return {pa.pk: self._answers(f"p{pa.pk}-", self.project_questions) for pa in self.project_answers}

    def add_service_errors(self, error: ValidationError):
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)

    def project_sections(self):
        """[(project answer, [bound fields])] for the template."""
        return [
            (pa, [self[name] for name in self.fields if name.startswith(f"p{pa.pk}-")]) for pa in self.project_answers
        ]

    def department_fields(self):
        return [self[name] for name in self.fields if name.startswith("d-")]


def default_deadline() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)
