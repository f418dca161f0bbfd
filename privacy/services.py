"""A group's personal data (APPI): who may export it, and requests to correct or delete it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import coordinators, is_coordinator_or_admin, is_representative
from core.exceptions import PermissionDenied, TransitionError
from notifications.models import NoticeKind
from notifications.services import notify

from .models import DataRequest


def can_request_data(user, organization) -> bool:
    return is_representative(user, organization)


def can_export_group_data(user, organization) -> bool:
    return is_representative(user, organization) or is_coordinator_or_admin(user)


def can_handle_data_requests(user) -> bool:
    return is_coordinator_or_admin(user)


@transaction.atomic
def data_request_create(*, actor, organization, kind: str, body: str) -> DataRequest:
    """A group's representative asks for correction or deletion of the group's data."""
    if not can_request_data(actor, organization):
        raise PermissionDenied(_("申出ができるのは団体の代表者だけです。"))
    data_request = DataRequest(organization=organization, kind=kind, body=body, requested_by=actor)
    data_request.full_clean()
    data_request.save()
    notify(
        recipients=list(coordinators()),
        kind=NoticeKind.SYSTEM,
        title=lambda: (
            _("個人情報の%(kind)sの申出: %(org)s") % {"kind": data_request.get_kind_display(), "org": organization}
        ),
        body=body[:500],
        url="/coordination/data-requests/",
    )
    return data_request


@transaction.atomic
def data_request_resolve(*, actor, data_request: DataRequest, status: str, resolution: str) -> DataRequest:
    """A coordinator closes a request as done or rejected, saying what was done or why not."""
    if not can_handle_data_requests(actor):
        raise PermissionDenied(_("申出に対応できるのはコーディネーターと管理者だけです。"))
    data_request = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if data_request.status != DataRequest.Status.OPEN:
        raise TransitionError(_("この申出はすでに対応が終わっています。"))
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REJECTED):
        raise TransitionError(_("対応の結果を選んでください。"))
    if not resolution.strip():
        raise TransitionError(_("対応内容（対応しない場合はその理由）を入力してください。"))
    data_request.status = status
    data_request.resolution = resolution
    data_request.resolved_by = actor
    data_request.resolved_at = timezone.now()
    data_request.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    notify(
        recipients=[data_request.requested_by],
        kind=NoticeKind.SYSTEM,
        title=lambda: _("個人情報の申出への対応: %(status)s") % {"status": data_request.get_status_display()},
        body=resolution[:500],
        url="",
    )
    return data_request
