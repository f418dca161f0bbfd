"""Every write of the survey: one function per use case, permission-checked against `surveys.workflow`,
recorded as a SurveyEvent (who, when, why), raising a clear error for an illegal move."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import PermissionDenied, TransitionError
from core.japanese import fiscal_year_label, join_names
from core.locking import save_with_version
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import CollaborationForm, DepartmentMembership
from projects.models import Outcome

from . import workflow
from .models import ProjectAnswer, Survey, SurveyEvent, SurveyOption, SurveyResponse
from .questions import DEFAULT_OPTIONS, FORM_QUESTIONS, OTHER, QUESTIONS, questions_for, with_other
from .selectors import department_records


def current_options() -> dict[str, list[str]]:
    """The options a survey opened now offers: the stored ones, the portal's forms for 図表16."""
    stored = {}
    for question, label in SurveyOption.objects.order_by("order", "id").values_list("question", "label"):
        stored.setdefault(question, []).append(label)
    options = {}
    for code, q in QUESTIONS.items():
        if not q.is_choice:
            continue
        if code in FORM_QUESTIONS:
            labels = list(CollaborationForm.objects.order_by("order", "id").values_list("name", flat=True))
        else:
            labels = stored.get(code, DEFAULT_OPTIONS.get(code, []))
        options[code] = with_other(code, labels)
    return options


def _members(department_ids):
    return [
        m.user
        for m in DepartmentMembership.objects.filter(department_id__in=department_ids, user__is_active=True)
        .select_related("user")
        .order_by("id")
    ]


@transaction.atomic
def survey_open(*, actor, fiscal_year: int, deadline: datetime.date) -> Survey:
    """Open the survey of a fiscal year: every section gets the questionnaire of its category."""
    if not workflow.can_open_survey(actor):
        raise PermissionDenied(_("調査を開始できるのはコーディネーターだけです。"))
    if Survey.objects.filter(fiscal_year=fiscal_year).exists():
        raise TransitionError(_("%(year)sの調査はすでにあります。") % {"year": fiscal_year_label(fiscal_year)})
    survey = Survey(fiscal_year=fiscal_year, deadline=deadline, options=current_options(), opened_by=actor)
    survey.full_clean()
    survey.save()
    _create_responses(survey, department_records(fiscal_year))
    SurveyEvent.objects.create(survey=survey, action=SurveyEvent.Action.OPENED, actor=actor)
    notify(
        recipients=_members(survey.responses.values("department_id")),
        kind=NoticeKind.SYSTEM,
        title=lambda: (
            _("%(survey)sへの回答をお願いします（期限 %(deadline)s）")
            % {"survey": survey, "deadline": deadline.isoformat()}
        ),
        url=reverse("surveys:index"),
    )
    return survey


def _create_responses(survey, records) -> dict[int, SurveyResponse]:
    responses = SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=survey, department_id=dept, category=cat) for dept, (cat, _p) in records.items()]
    )
    by_dept = {r.department_id: r for r in responses}
    ProjectAnswer.objects.bulk_create(
        [
            ProjectAnswer(response=by_dept[dept], project_id=pk)
            for dept, (_cat, projects) in records.items()
            for pk in projects
        ]
    )
    return by_dept


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    workflow.check(actor, survey, "survey_close")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.closed_by = actor
    survey.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    SurveyEvent.objects.create(survey=survey, action=SurveyEvent.Action.CLOSED, actor=actor)
    return survey


@transaction.atomic
def response_view(*, actor, response: SurveyResponse) -> SurveyResponse:
    """A member of the department opened the questionnaire for the first time (回収状況: 開封済み)."""
    workflow.check(actor, response, "response_view")
    return _move(response, actor, SurveyResponse.Status.OPENED, SurveyEvent.Action.VIEWED, ["status"])


def clean_answers(survey: Survey, questions, data: dict) -> dict:
    """The answers to store: choices among the survey's own options, その他 with its text, texts
    stripped; an empty question is left out (it counts as 無回答). Raises ValidationError per field."""
    errors, clean = {}, {}
    for q in questions:
        value = data.get(q.code)
        if q.kind == "text":
            text = (value or "").strip()
            if text:
                clean[q.code] = text
            continue
        chosen = [v for v in (value or []) if v]
        offered = survey.options.get(q.code, [])
        unknown = [v for v in chosen if v not in offered]
        if unknown:
            errors[q.code] = _("選択肢にない回答です: %(v)s") % {"v": join_names(unknown)}
            continue
        if q.kind == "single" and len(chosen) > 1:
            errors[q.code] = _("ひとつだけ選んでください。")
            continue
        if chosen:
            clean[q.code] = [v for v in offered if v in chosen]
        other = (data.get(f"{q.code}_other") or "").strip()
        if other and OTHER not in chosen:
            errors[f"{q.code}_other"] = _("「その他」を選んだときに内容を書いてください。")
        elif other:
            clean[f"{q.code}_other"] = other
    if errors:
        raise ValidationError(errors)
    return clean


def _move(response, actor, target, action, fields, note=""):
    response.status = target
    save_with_version(response, expected_version=response.version, update_fields=fields)
    SurveyEvent.objects.create(survey=response.survey, response=response, action=action, actor=actor, note=note)
    return response


def _write(response, actor, *, answers, project_answers, respondent, expected_version, action):
    t = workflow.check(actor, response, action)
    survey = response.survey
    by_pk = {pa.pk: pa for pa in response.project_answers.all()}
    if set(project_answers) - set(by_pk):
        raise PermissionDenied(_("この課の事業ではありません。"))
    # Error keys name the questions as the questionnaire's fields do: d-<code>, p<answer id>-<code>.
    errors, cleaned = {}, {}
    parts = [("d-", None, questions_for("department", response.category), answers)]
    parts += [(f"p{pk}-", pk, questions_for("project", response.category), d) for pk, d in project_answers.items()]
    for prefix, pk, questions, data in parts:
        try:
            cleaned[pk] = clean_answers(survey, questions, data)
        except ValidationError as e:
            errors |= {f"{prefix}{key}": msgs for key, msgs in e.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    response.answers = cleaned.pop(None)
    response.respondent = (respondent or "").strip()[:100]
    response.status = t.target
    fields = ["answers", "respondent", "status"]
    if t.target == SurveyResponse.Status.SUBMITTED:
        response.submitted_at, response.submitted_by = timezone.now(), actor
        fields += ["submitted_at", "submitted_by"]
    save_with_version(response, expected_version=expected_version, update_fields=fields)
    for pk, answers_ in cleaned.items():
        by_pk[pk].answers = answers_
    ProjectAnswer.objects.bulk_update(list(by_pk.values()), ["answers"])
    SurveyEvent.objects.create(survey=survey, response=response, action=action, actor=actor)
    return response


@transaction.atomic
def response_save(*, actor, response, answers, project_answers, respondent="", expected_version) -> SurveyResponse:
    """Save the questionnaire as a draft (下書き): nothing is checked for completeness."""
    return _write(
        response,
        actor,
        answers=answers,
        project_answers=project_answers,
        respondent=respondent,
        expected_version=expected_version,
        action="response_save",
    )


@transaction.atomic
def response_submit(*, actor, response, answers, project_answers, respondent="", expected_version) -> SurveyResponse:
    """Submit the questionnaire; each project's 成果 answer becomes the project's 成果."""
    response = _write(
        response,
        actor,
        answers=answers,
        project_answers=project_answers,
        respondent=respondent,
        expected_version=expected_version,
        action="response_submit",
    )
    apply_outcomes(response.project_answers.select_related("project"))
    return response


def _outcome_by_label() -> dict[str, str]:
    with translation.override("ja"):
        return {str(label): code for code, label in Outcome.choices}


def apply_outcomes(project_answers) -> None:
    """Set each project's 成果 from its answer (図表8); a project without an answer keeps its own."""
    by_label = _outcome_by_label()
    for pa in project_answers:
        chosen = pa.answers.get("outcome") or []
        code = by_label.get(chosen[0]) if chosen else None
        if code and pa.project.outcome != code:
            pa.project.outcome = code
            pa.project.save(update_fields=["outcome", "updated_at"])


@transaction.atomic
def response_reopen(*, actor, response: SurveyResponse, reason: str) -> SurveyResponse:
    """A coordinator sends a submitted questionnaire back to the department, saying why."""
    reason = (reason or "").strip()
    workflow.check(actor, response, "response_reopen")
    if not reason:
        raise ValidationError({"reason": _("差し戻す理由を入力してください。")})
    _move(response, actor, SurveyResponse.Status.DRAFT, SurveyEvent.Action.REOPENED, ["status"], note=reason)
    notify(
        recipients=_members([response.department_id]),
        kind=NoticeKind.SYSTEM,
        title=lambda: _("%(survey)sの回答が差し戻されました") % {"survey": response.survey},
        body=reason,
        url=reverse("surveys:response", args=[response.pk]),
    )
    return response


@transaction.atomic
def survey_remind(*, actor, survey: Survey) -> int:
    """Remind every department that has not submitted; returns how many departments were reminded."""
    if not workflow.can_view_progress(actor):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    if not survey.is_open:
        raise TransitionError(_("この調査は締め切られました。回答の保存・提出はできません。"))
    pending = list(survey.responses.exclude(status=SurveyResponse.Status.SUBMITTED).select_related("survey"))
    now = timezone.now()
    for response in pending:
        workflow.check(actor, response, "response_remind")
    SurveyResponse.objects.filter(pk__in=[r.pk for r in pending]).update(last_reminded_at=now)
    SurveyEvent.objects.bulk_create(
        [SurveyEvent(survey=survey, response=r, action=SurveyEvent.Action.REMINDED, actor=actor) for r in pending]
    )
    notify(
        recipients=_members([r.department_id for r in pending]),
        kind=NoticeKind.SYSTEM,
        title=lambda: (
            _("【督促】%(survey)sへの回答をお願いします（期限 %(deadline)s）")
            % {"survey": survey, "deadline": survey.deadline.isoformat()}
        ),
        url=reverse("surveys:index"),
    )
    return len(pending)


@transaction.atomic
def options_set(*, actor, question: str, labels: list[str]) -> None:
    """Replace a question's options for the surveys opened from now on (open surveys keep theirs)."""
    if not workflow.can_view_progress(actor):
        raise PermissionDenied(_("選択肢を変更できるのはコーディネーターだけです。"))
    if question not in dict(SurveyOption.QUESTION_CHOICES):
        raise ValidationError(_("その質問の選択肢は変更できません。"))
    clean = list(dict.fromkeys(label.strip() for label in labels if label.strip() and label.strip() != OTHER))
    if not clean:
        raise ValidationError({"labels": _("選択肢を1つ以上入力してください。")})
    SurveyOption.objects.filter(question=question).delete()
    SurveyOption.objects.bulk_create(
        [SurveyOption(question=question, label=label, order=i) for i, label in enumerate(clean, 1)]
    )
