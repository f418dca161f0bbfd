"""Optimistic locking for models with a `version` field (core.models.Versioned).

    from core.locking import save_with_version
    save_with_version(listing, expected_version=form.cleaned_data["version"], update_fields=["title", "body"])

The UPDATE carries `WHERE version = expected` and sets `version = version + 1` in the database, so
two writers who loaded the same version cannot both win: the second gets ConflictError (with the
current row in `.current`) and the view shows both versions, keeping the user's input.
"""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError


def save_with_version(instance, *, expected_version: int, update_fields: list[str]):
    """Save `update_fields` of `instance` only if its stored version is still `expected_version`.

    On success `instance` is reloaded from the database (so `instance.version` is the new version).
    Simple-history records a history row for the saved state.
    """
    model = type(instance)
    values = {name: getattr(instance, model._meta.get_field(name).attname) for name in update_fields}
    field_names = {f.name for f in model._meta.concrete_fields}
    if "updated_at" in field_names:
        instance.updated_at = values["updated_at"] = timezone.now()
    values["version"] = F("version") + 1
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(**values)
    if not updated:
        current = model._default_manager.filter(pk=instance.pk).first()
        raise ConflictError(
            _("ほかの人がこの内容を先に更新しました。最新の内容を確認して、もう一度保存してください。"),
            current=current,
        )
    instance.refresh_from_db()
    _record_history(instance)
    return instance


def _record_history(instance):
    """QuerySet.update() bypasses signals; write the history row simple-history would have written."""
    history = getattr(type(instance), "history", None)
    manager = getattr(instance, "history", None)
    if history is None or manager is None:
        return
    from simple_history.models import HistoricalRecords

    user = HistoricalRecords.context.request.user if _has_request_user() else None
    manager.model.objects.create(
        history_date=timezone.now(),
        history_type="~",
        history_user=user if user is not None and user.is_authenticated else None,
        history_change_reason=None,
        **{
            f.attname: getattr(instance, f.attname)
            for f in manager.model._meta.fields
            if not f.name.startswith("history_") and hasattr(instance, f.attname)
        },
    )


def _has_request_user() -> bool:
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    return request is not None and getattr(request, "user", None) is not None
