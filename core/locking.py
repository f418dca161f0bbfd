"""Optimistic locking for models with a `version` field (core.models.Versioned): the one version check.

Every edit form carries the version the user loaded in a `VersionField`; the service locks the row
with `lock_version`, which refuses a stale version with ConflictError (the view shows both versions
and keeps the user's input), then saves with `version + 1`:

    obj = lock_version(Agreement, agreement.pk, version)   # inside transaction.atomic
    ...; obj.version += 1; obj.save(update_fields=[..., "version", "updated_at"])

or, for a plain field update, `save_with_version(obj, expected_version=version, update_fields=[...])`.

A POST without a version, or with one that is not a whole number, is a 400 (BadRequest): an edit
that does not say which version it was made on must never overwrite someone else's save.
"""

from django import forms
from django.core.exceptions import BadRequest
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ConflictError


def expected_version(value) -> int:
    """The version a request says the user loaded; BadRequest when it is missing or malformed."""
    if isinstance(value, bool):
        raise BadRequest("version must be a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise BadRequest("the version of the edited record is missing or malformed")
    if not 0 < number < 2**31:
        raise BadRequest("version out of range")
    return number


def check_version(current, version: int | None) -> None:
    """ConflictError (carrying the current row) unless `current` is still at the version the user loaded.

    `None` is for callers without a user-loaded version (jobs, demo data); requests always carry one,
    because every edit form's VersionField refuses a POST without it.
    """
    if version is not None and current.version != expected_version(version):
        raise ConflictError(
            _("ほかの人が先に保存しました（現在の版: %(v)s）。内容を確認してから保存し直してください。")
            % {"v": current.version},
            current=current,
        )


def lock_version(model, pk: int, version: int | None):
    """The row locked for update (call inside transaction.atomic), checked against `version`."""
    current = model._default_manager.select_for_update().get(pk=pk)
    check_version(current, version)
    return current


def save_with_version(instance, *, expected_version: int, update_fields: list[str]):
    """Save `update_fields` of `instance` only if its row is still at `expected_version` (lock_version).

    On success `instance` is reloaded (so `instance.version` is the new version); simple-history
    records the save as for any other.
    """
    with transaction.atomic():
        current = lock_version(type(instance), instance.pk, expected_version)
        for name in update_fields:
            setattr(current, name, getattr(instance, name))
        current.version += 1
        fields = {f.name for f in current._meta.concrete_fields}
        current.save(update_fields=[*update_fields, "version", *(["updated_at"] if "updated_at" in fields else [])])
    instance.refresh_from_db()
    return instance


class VersionField(forms.CharField):
    """The hidden version of an edit form. Missing or malformed is a 400, never a silent overwrite."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        return expected_version(value)
