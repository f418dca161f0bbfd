"""Match stages (`Match.stage`): who may make which move, and when. Services check every move here;
the match page and the pipeline board ask `allowed_actions` which buttons and forms to show."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import coordinator_action
from core.workflow import Action, Workflow

from . import permissions
from .models import Match

Stage = Match.Stage
OPEN = (Stage.PROPOSED, Stage.AWAITING, Stage.PRE_MEETING, Stage.NEGOTIATING)
NOT_CLOSED = (*OPEN, Stage.ON_HOLD)


def _responder(user, match) -> bool:
    """A member of a participant that has not answered yet."""
    return bool(permissions.pending_participants(user, match))


def _viewer(user, match) -> bool:
    return permissions.can_view_match(user, match)


MATCH_STAGES = Workflow(
    "match_stages",
    field="stage",
    states=Stage,
    actions=[
        coordinator_action(
            "send",
            (Stage.PROPOSED,),
            Stage.AWAITING,
            _("参加者に打診する"),
            denied=_("参加者への打診はコーディネーターだけが行えます。"),
            wrong_state=_("「%(state)s」のマッチングは参加者に打診できません（「提案」のときだけです）。"),
        ),
        Action(
            "respond",
            (Stage.AWAITING,),
            None,
            _responder,
            _("承諾・辞退を回答する"),
            _("まだ回答していない参加者の構成員"),
            denied=_("このマッチングの参加者ではありません。"),
            wrong_state=_("「%(state)s」のマッチングには回答できません（「参加者の承諾待ち」のときだけです）。"),
            to_label=_("全員の承諾で「事前打ち合わせ」"),
        ),
        coordinator_action(
            "advance",
            (Stage.PRE_MEETING,),
            Stage.NEGOTIATING,
            _("協議中にする"),
            denied=_("段階を変更できるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」から「協議中」には進めません（「事前打ち合わせ」からだけです）。"),
        ),
        coordinator_action(
            "establish",
            (Stage.NEGOTIATING,),
            Stage.ESTABLISHED,
            _("成立にする"),
            denied=_("成立にできるのはコーディネーターだけです。"),
            wrong_state=_(
                "「%(state)s」のマッチングは成立にできません。事前打ち合わせを行い「協議中」に進めてから成立にしてください。"
            ),
        ),
        coordinator_action(
            "resume",
            (Stage.ON_HOLD,),
            None,
            _("再開する"),
            denied=_("再開できるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」のマッチングは再開できません（「保留」のときだけです）。"),
            to_label=_("保留前の段階"),
        ),
        coordinator_action(
            "hold",
            OPEN,
            Stage.ON_HOLD,
            _("保留にする"),
            denied=_("保留にできるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」のマッチングは保留にできません。"),
        ),
        coordinator_action(
            "fail",
            OPEN,
            Stage.FAILED,
            _("不成立にする"),
            denied=_("不成立にできるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」のマッチングは不成立にできません。"),
        ),
        Action(
            "note",
            NOT_CLOSED,
            None,
            _viewer,
            _("メモを追加"),
            _("参加者の構成員、コーディネーター・管理者"),
            denied=_("このマッチングにメモを追加する権限がありません。"),
        ),
        Action(
            "schedule_meeting",
            (Stage.PRE_MEETING, Stage.NEGOTIATING),
            None,
            _viewer,
            _("打ち合わせを登録する"),
            _("参加者の構成員、コーディネーター・管理者"),
            denied=_("このマッチングの打ち合わせを登録する権限がありません。"),
            wrong_state=_("「%(state)s」のマッチングには打ち合わせを登録できません。全参加者の承諾後に登録できます。"),
        ),
        Action(
            "record_minutes",
            NOT_CLOSED,
            None,
            _viewer,
            _("議事録を記録する・打ち合わせを中止する"),
            _("参加者の構成員、コーディネーター・管理者"),
            denied=_("この打ち合わせの議事録を記録する権限がありません。"),
        ),
    ],
)

# The stage moves a coordinator makes from the match page and the pipeline board, in button order.
STAGE_MOVES = ("send", "advance", "establish", "resume", "hold", "fail")
