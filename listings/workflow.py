"""Listing review (`Listing.status`): who may edit, submit, publish, return and close a listing, and when.

Services check every move here; the listing and review pages ask `LISTING_REVIEW.allowed_actions`
which buttons and forms to show.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import coordinator_action, is_coordinator_or_admin
from core.workflow import Action, Workflow

from .models import Listing
from .permissions import is_listing_owner

S = Listing.Status


def _owner(user, listing) -> bool:
    return is_listing_owner(user, listing)


def _owner_or_coordinator(user, listing) -> bool:
    return _owner(user, listing) or is_coordinator_or_admin(user)


def _system(user, listing) -> bool:
    """Moves the portal makes by itself (a daily job), with no user."""
    return user is None


LISTING_REVIEW = Workflow(
    "listing_review",
    field="status",
    states=S,
    actions=[
        Action(
            "edit",
            (S.DRAFT, S.RETURNED),
            None,
            _owner,
            _("編集"),
            _("掲載者"),
            denied=_("この掲載を編集する権限がありません。"),
            wrong_state=_("「%(state)s」の掲載は編集できません。"),
        ),
        coordinator_action("edit", (S.DRAFT, S.RETURNED, S.PENDING), None, _("編集")),
        Action(
            "submit",
            (S.DRAFT, S.RETURNED),
            S.PENDING,
            _owner,
            _("審査を申請する"),
            _("掲載者"),
            denied=_("掲載者だけが審査を申請できます。"),
            wrong_state=_("「%(state)s」の掲載は審査を申請できません。"),
        ),
        Action(
            "withdraw",
            (S.PENDING,),
            S.DRAFT,
            _owner,
            _("申請を取り下げて編集する"),
            _("掲載者"),
            denied=_("掲載者だけが審査の申請を取り下げられます。"),
            wrong_state=_("審査中の掲載だけを取り下げられます（現在: %(state)s）。"),
        ),
        coordinator_action(
            "publish",
            (S.PENDING,),
            S.PUBLISHED,
            _("公開する"),
            denied=_("公開できるのはコーディネーターだけです。"),
            wrong_state=_("審査中の掲載だけを公開できます（現在: %(state)s）。"),
        ),
        coordinator_action(
            "return",
            (S.PENDING,),
            S.RETURNED,
            _("差戻す"),
            denied=_("差戻しできるのはコーディネーターだけです。"),
            wrong_state=_("審査中の掲載だけを差戻しできます（現在: %(state)s）。"),
        ),
        Action(
            "close",
            (S.PUBLISHED,),
            S.CLOSED,
            _owner_or_coordinator,
            _("掲載を終了する"),
            _("掲載者、コーディネーター・管理者"),
            denied=_("掲載者またはコーディネーターだけが終了できます。"),
            wrong_state=_("公開中の掲載だけを終了できます（現在: %(state)s）。"),
        ),
        Action("expire", (S.PUBLISHED,), S.CLOSED, _system, _("期間の終了"), _("システム（毎日）")),
    ],
)
