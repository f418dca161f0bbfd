"""Bulk actions on review queues: the same service per item, each failure reported, never silent."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, TransitionError
from core.params import valid_ids


class IdListField(forms.Field):
    """The ids of the rows ticked in a table (`name="ids"` checkboxes); junk values are left out."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": _("対象を1件以上選んでください。")}

    def to_python(self, value):
        return list(dict.fromkeys(valid_ids(value if isinstance(value, list | tuple) else [value])))


@dataclass
class BulkOutcome:
    """Which items a bulk action changed, and for each one it did not, its label and why."""

    done: list = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def apply_each(items: Iterable, action: Callable, *, label: Callable = str) -> BulkOutcome:
    """Call `action(item)` (one service call, in its own transaction) for each item; a refused item
    is recorded with the service's message and the others go on."""
    outcome = BulkOutcome()
    for item in items:
        try:
            action(item)
        except ValidationError as exc:
            outcome.failed.append((label(item), " ".join(exc.messages)))
        except (TransitionError, PermissionDenied, ConflictError) as exc:
            outcome.failed.append((label(item), str(exc)))
        else:
            outcome.done.append(item)
    return outcome


def report_bulk(request, outcome: BulkOutcome) -> None:
    """Tell the user how many items changed and, one message each, which were refused and why."""
    if outcome.done:
        messages.success(
            request,
            ngettext("%(n)d件を処理しました。", "%(n)d件を処理しました。", len(outcome.done))
            % {"n": len(outcome.done)},
        )
    for label, reason in outcome.failed:
        messages.error(
            request, gettext("「%(label)s」は処理できませんでした: %(reason)s") % {"label": label, "reason": reason}
        )
