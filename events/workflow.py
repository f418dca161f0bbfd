"""Exchange events (`ExchangeEvent.status`): who may make which move, and when. Services check every
move here; the event page asks `allowed_actions` which buttons and forms to show."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import coordinator_action, party_ids_of
from core.workflow import Action, Workflow

from .models import ExchangeEvent


def _with_a_party(user, event) -> bool:
    return bool(party_ids_of(user))


def _before_start(event) -> bool:
    return event.starts_at > timezone.now()


def _started(event) -> bool:
    return event.starts_at <= timezone.now()


EXCHANGE_EVENT = Workflow(
    "exchange_event",
    field="status",
    states=ExchangeEvent.Status,
    actions=[
        coordinator_action(
            "publish",
            (ExchangeEvent.Status.DRAFT,),
            ExchangeEvent.Status.PUBLISHED,
            _("公開する"),
            denied=_("交流の場を公開できるのはコーディネーターだけです。"),
            wrong_state=_("下書きの交流の場だけを公開できます。"),
        ),
        coordinator_action(
            "cancel",
            (ExchangeEvent.Status.DRAFT, ExchangeEvent.Status.PUBLISHED),
            ExchangeEvent.Status.CANCELLED,
            _("中止する"),
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
        coordinator_action(
            "record_outcomes",
            (ExchangeEvent.Status.PUBLISHED,),
            None,
            _("成果を記録する"),
            denied=_("成果を記録できるのはコーディネーターだけです。"),
            when=_started,
            when_label=_("開催後に記録してください。"),
        ),
    ],
)
