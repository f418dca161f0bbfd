"""The survey's states, the moves between them and who may make each: ONE table.

`surveys.services` asks `check(action, user, obj)` before every write; views and templates ask
`allowed_actions(user, obj)` which buttons and forms to show. A guard is a predicate over
(user, obj); the object is a Survey for survey-level actions and a SurveyResponse otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.exceptions import PermissionDenied, TransitionError
from organizations.permissions import is_coordinator_or_admin

from .models import Survey, SurveyResponse

S = Survey.Status
R = SurveyResponse.Status


def is_coordinator(user, obj) -> bool:
    return is_coordinator_or_admin(user)


def is_department_member(user, response) -> bool:
    """Staff and the 所属長 of the department answer and submit its questionnaire."""
    return bool(user and user.is_authenticated and response.department_id in user.department_ids)


def survey_of(obj) -> Survey:
    return obj if isinstance(obj, Survey) else obj.survey


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: frozenset  # states of obj (Survey.status or SurveyResponse.status) the move starts from
    target: str | None  # None: the state does not change (a reminder)
    guard: Callable
    needs_open_survey: bool = True


TRANSITIONS = {
    t.action: t
    for t in [
        Transition("survey_close", _("調査を締め切る"), frozenset({S.OPEN}), S.CLOSED, is_coordinator, False),
        Transition("response_view", _("回答を始める"), frozenset({R.NOT_OPENED}), R.OPENED, is_department_member),
        Transition(
            "response_save",
            _("下書きを保存"),
            frozenset({R.NOT_OPENED, R.OPENED, R.DRAFT}),
            R.DRAFT,
            is_department_member,
        ),
        Transition(
            "response_submit",
            _("提出する"),
            frozenset({R.NOT_OPENED, R.OPENED, R.DRAFT}),
            R.SUBMITTED,
            is_department_member,
        ),
        Transition("response_reopen", _("差し戻す"), frozenset({R.SUBMITTED}), R.DRAFT, is_coordinator),
        Transition(
            "response_remind", _("督促する"), frozenset({R.NOT_OPENED, R.OPENED, R.DRAFT}), None, is_coordinator
        ),
    ]
}


def can_open_survey(user) -> bool:
    """Only coordinators (and admins) open a fiscal year's survey."""
    return is_coordinator_or_admin(user)


def can_view_response(user, response) -> bool:
    return is_coordinator_or_admin(user) or is_department_member(user, response)


def can_view_progress(user) -> bool:
    """回収状況, free-text answers and the answer export are for coordinators only."""
    return is_coordinator_or_admin(user)


def allowed_actions(user, obj) -> list[str]:
    """The moves this user may make on obj now, in table order."""
    survey = survey_of(obj)
    return [
        t.action
        for t in TRANSITIONS.values()
        if isinstance(obj, Survey) == t.action.startswith("survey_")
        and obj.status in t.sources
        and (survey.is_open or not t.needs_open_survey)
        and t.guard(user, obj)
    ]


def check(action: str, user, obj) -> Transition:
    """The transition if this user may make it on obj now; else a clear error (never a no-op)."""
    t = TRANSITIONS[action]
    if not t.guard(user, obj):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    if t.needs_open_survey and not survey_of(obj).is_open:
        raise TransitionError(_("この調査は締め切られました。回答の保存・提出はできません。"))
    if obj.status not in t.sources:
        raise TransitionError(
            _("「%(state)s」の状態では「%(action)s」はできません。")
            % {"state": obj.get_status_display(), "action": t.label}
        )
    return t
