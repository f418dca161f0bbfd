"""Match stages (`Match.stage`) and exchange events (`ExchangeEvent.status`): who may make which move,
and when. Services check every move here; the match page, the pipeline board and the event page ask
`allowed_actions` which buttons and forms to show."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_coordinator_or_admin, party_ids_of
from core.workflow import Action, Workflow

from . import permissions
from .models import ExchangeEvent, Match

Stage = Match.Stage
OPEN = (Stage.PROPOSED, Stage.AWAITING, Stage.PRE_MEETING, Stage.NEGOTIATING)
NOT_CLOSED = (*OPEN, Stage.ON_HOLD)
COORDINATORS = _("コーディネーター・管理者")


def _coordinator(user, obj) -> bool:
    return is_coordinator_or_admin(user)


def _responder(user, match) -> bool:
    """A member of a participant that has not answered yet."""
    return bool(permissions.pending_participants(user, match))


def _viewer(user, match) -> bool:
    return permissions.can_view_match(user, match)


def _with_a_party(user, event) -> bool:
    return bool(party_ids_of(user))


def _before_start(event) -> bool:
    return event.starts_at > timezone.now()


def _started(event) -> bool:
    return event.starts_at <= timezone.now()


MATCH_STAGES = Workflow(
    "match_stages",
    field="stage",
    states=Stage,
    actions=[
        Action(
            "send",
            (Stage.PROPOSED,),
            Stage.AWAITING,
            _coordinator,
            _("参加者に打診する"),
            COORDINATORS,
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
        Action(
            "advance",
            (Stage.PRE_MEETING,),
            Stage.NEGOTIATING,
            _coordinator,
            _("協議中にする"),
            COORDINATORS,
            denied=_("段階を変更できるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」から「協議中」には進めません（「事前打ち合わせ」からだけです）。"),
        ),
        Action(
            "establish",
            (Stage.NEGOTIATING,),
            Stage.ESTABLISHED,
            _coordinator,
            _("成立にする"),
            COORDINATORS,
            denied=_("成立にできるのはコーディネーターだけです。"),
            wrong_state=_(
                "「%(state)s」のマッチングは成立にできません。事前打ち合わせを行い「協議中」に進めてから成立にしてください。"
            ),
        ),
        Action(
            "resume",
            (Stage.ON_HOLD,),
            None,
            _coordinator,
            _("再開する"),
            COORDINATORS,
            denied=_("再開できるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」のマッチングは再開できません（「保留」のときだけです）。"),
            to_label=_("保留前の段階"),
        ),
        Action(
            "hold",
            OPEN,
            Stage.ON_HOLD,
            _coordinator,
            _("保留にする"),
            COORDINATORS,
            denied=_("保留にできるのはコーディネーターだけです。"),
            wrong_state=_("「%(state)s」のマッチングは保留にできません。"),
        ),
        Action(
            "fail",
            OPEN,
            Stage.FAILED,
            _coordinator,
            _("不成立にする"),
            COORDINATORS,
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


EXCHANGE_EVENT = Workflow(
    "exchange_event",
    field="status",
    states=ExchangeEvent.Status,
    actions=[
        Action(
            "publish",
            (ExchangeEvent.Status.DRAFT,),
            ExchangeEvent.Status.PUBLISHED,
            _coordinator,
            _("公開する"),
            COORDINATORS,
            denied=_("交流の場を公開できるのはコーディネーターだけです。"),
            wrong_state=_("下書きの交流の場だけを公開できます。"),
        ),
        Action(
            "cancel",
            (ExchangeEvent.Status.DRAFT, ExchangeEvent.Status.PUBLISHED),
            ExchangeEvent.Status.CANCELLED,
            _coordinator,
            _("中止する"),
            COORDINATORS,
            denied=_("交流の場を中止できるのはコーディネーターだけです。"),
            wrong_state=_("この交流の場はすでに中止になっています。"),
            when=_before_start,
            when_label=_("開始日時を過ぎた交流の場は中止にできません。"),
        ),
        Action(
            "register",
            (ExchangeEvent.Status.PUBLISHED,),
            None,
            _with_a_party,
            _("申し込む"),
            _("団体・担当課の構成員"),
            denied=_("所属する団体・担当課としてのみ申し込めます。"),
            wrong_state=_("この交流の場は申込を受け付けていません。"),
            when=_before_start,
            when_label=_("開始日時を過ぎたため申し込めません。"),
        ),
        Action(
            "record_outcomes",
            (ExchangeEvent.Status.PUBLISHED,),
            None,
            _coordinator,
            _("成果を記録する"),
            COORDINATORS,
            denied=_("成果を記録できるのはコーディネーターだけです。"),
            when=_started,
            when_label=_("開催後に記録してください。"),
        ),
    ],
)
