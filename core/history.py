"""The audit trail of one object, for coordinators: who changed what, when (django-simple-history).

    from core.history import object_history
    context["history"] = object_history(obj) if is_coordinator_or_admin(request.user) else None
    {% include "core/includes/history.html" with history=history %}

or link to the generic page: {% url 'portal:history' 'projects.agreement' obj.pk %}.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What happened to the record (past tense: "Deleted"), not the action buttons' "Delete".
TYPE_LABELS = {
    "+": pgettext_lazy("history event", "作成"),
    "~": pgettext_lazy("history event", "変更"),
    "-": pgettext_lazy("history event", "削除"),
}
VALUE_LIMIT = 200


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    reason: str
    created: bool = False
    changes: list[Change] = field(default_factory=list)


def _text(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def _shown(model, name: str, value) -> str:
    """A stored value as people read it: a choice's label (「良好」, not good), Yes/No for booleans."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since; show the value
        return _text(value)
    if field.choices and value not in (None, ""):
        return _text(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    return _text(value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since; show its name
        return name


def object_history(obj, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` history records of `obj`, each with the fields that changed from the one before."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changes = [
                Change(_label(model, c.field), _shown(model, c.field, c.old), _shown(model, c.field, c.new))
                for c in delta.changes
            ]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user is not None else str(_("システム")),
                action=str(TYPE_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                created=record.history_type == "+",
                changes=changes,
            )
        )
    return entries
