"""The survey's states, the moves between them and who may make each, declared once.

Two workflows (core.workflow): `SURVEY` (Survey.status) and `SURVEY_RESPONSE` (a section's
questionnaire, SurveyResponse.status). Services call `check(user, obj, action)` before every write;
pages ask `allowed_actions(user, obj)` which buttons and forms to show. Every move of a questionnaire
also needs its survey to be open: `check` says so first, with the message departments see.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import coordinator_action, is_coordinator_or_admin, is_department_member
from core.exceptions import TransitionError
from core.workflow import Action, Workflow

from .models import Survey, SurveyResponse

S = Survey.Status
R = SurveyResponse.Status
CLOSED_MESSAGE = _("この調査は締め切られました。回答の保存・提出はできません。")
MEMBERS = _("その課の担当者・所属長")


def _member(user, response) -> bool:
    """Staff and the 所属長 of the section answer and submit its questionnaire."""
    return is_department_member(user, response.department)


SURVEY = Workflow(
    "survey",
    field="status",
    states=S,
    actions=[
        coordinator_action(
            "survey_close",
            (S.OPEN,),
            S.CLOSED,
            _("調査を締め切る"),
            denied=_("調査を締め切れるのはコーディネーターだけです。"),
        ),
    ],
)

UNSUBMITTED = (R.NOT_OPENED, R.OPENED, R.DRAFT)
STARTED = (R.OPENED, R.DRAFT)  # the questionnaire's form is shown once a member started answering
SURVEY_RESPONSE = Workflow(
    "survey_response",
    field="status",
    states=R,
    actions=[
        Action("response_view", (R.NOT_OPENED,), R.OPENED, _member, _("回答を始める"), MEMBERS),
        Action("response_save", STARTED, R.DRAFT, _member, _("下書きを保存"), MEMBERS),
        Action("response_submit", STARTED, R.SUBMITTED, _member, _("提出する"), MEMBERS),
        coordinator_action("response_reopen", (R.SUBMITTED,), R.DRAFT, _("差し戻す")),
        coordinator_action("response_remind", UNSUBMITTED, None, _("督促する")),
    ],
)


def can_open_survey(user) -> bool:
    """Only coordinators (and admins) open a fiscal year's survey."""
    return is_coordinator_or_admin(user)


def can_view_response(user, response) -> bool:
    return is_coordinator_or_admin(user) or _member(user, response)


def can_view_progress(user) -> bool:
    """回収状況, free-text answers, the answer export and the options are for coordinators only."""
    return is_coordinator_or_admin(user)


def _flow(obj) -> Workflow:
    return SURVEY if isinstance(obj, Survey) else SURVEY_RESPONSE


def allowed_actions(user, obj) -> set[str]:
    """The moves this user may make on obj now (none on a closed survey's questionnaires)."""
    if isinstance(obj, SurveyResponse) and not obj.survey.is_open:
        return set()
    return _flow(obj).allowed_actions(user, obj)


def check(user, obj, action: str) -> Action:
    """The declared action if this user may make it on obj now; else PermissionDenied or
    TransitionError with a clear message (a closed survey refuses every questionnaire move)."""
    flow = _flow(obj)
    if isinstance(obj, SurveyResponse) and not obj.survey.is_open:
        if not any(a.who(user, obj) for a in flow.actions if a.name == action):
            flow.check(user, obj, action)  # raises PermissionDenied for someone who could never do it
        raise TransitionError(CLOSED_MESSAGE)
    return flow.check(user, obj, action)
