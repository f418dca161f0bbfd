"""Declared workflows: each workflow's states, moves and who may make them, in one table.

A workflow module (e.g. `listings/workflow.py`) declares one `Workflow` with its `Action`s. Services
call `workflow.check(user, obj, "publish")` before they write; views and templates call
`workflow.allowed_actions(user, obj)` to decide which buttons and forms to show. The same table
drives both, so a rule cannot drift between the service and the page. See docs/architecture.md.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from core.exceptions import PermissionDenied, TransitionError

Guard = Callable[[object, object], bool]


@dataclass(frozen=True)
class Action:
    """One move (or, with no `target`, one action that keeps the state) open to the users `who` admits
    while the object is in one of `sources`. The same name may be declared more than once, with other
    sources for other users (e.g. coordinators may edit a listing under review, its owner may not)."""

    name: str
    sources: tuple[str, ...]
    target: str | None
    who: Guard
    label: str  # what the button says and the table in docs/architecture.md shows (lazy)
    who_label: str  # who may, in words, for the table
    denied: str = ""  # PermissionDenied message; a generic one when empty
    wrong_state: str = ""  # TransitionError message, may use %(state)s; a generic one when empty


# Every declared workflow by name, filled as the apps' `workflow` modules are imported.
REGISTRY: dict[str, "Workflow"] = {}


class Workflow:
    """The actions of one kind of object, read from the attribute `field` (a TextChoices field)."""

    def __init__(self, name: str, *, field: str, states, actions: Iterable[Action]):
        REGISTRY[name] = self
        self.name = name
        self.field = field
        self.states = states
        self.actions = tuple(actions)
        names = {a.name for a in self.actions}
        self._by_name = {n: tuple(a for a in self.actions if a.name == n) for n in names}
        known = set(states.values)
        for action in self.actions:
            unknown = (set(action.sources) | ({action.target} if action.target else set())) - known
            if unknown:
                raise ValueError(f"{name}.{action.name}: unknown states {sorted(unknown)}")

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def _entries(self, action: str) -> tuple[Action, ...]:
        try:
            return self._by_name[action]
        except KeyError:
            raise ValueError(f"{self.name} has no action {action!r}") from None

    def can(self, user, obj, action: str) -> bool:
        """Whether `user` may do `action` on `obj` now (its state and the user's role both allow it)."""
        state = self.state_of(obj)
        return any(state in a.sources and a.who(user, obj) for a in self._entries(action))

    def allowed_actions(self, user, obj) -> set[str]:
        """The names of every action `user` may do on `obj` now: what the page offers."""
        state = self.state_of(obj)
        return {a.name for a in self.actions if state in a.sources and a.who(user, obj)}

    def check(self, user, obj, action: str) -> Action:
        """The action `user` may do on `obj` now, or PermissionDenied (not this user's move) or
        TransitionError (the user's move, but not in this state), each with a Japanese message."""
        state = self.state_of(obj)
        entries = self._entries(action)
        mine = [a for a in entries if a.who(user, obj)]
        for entry in mine:
            if state in entry.sources:
                return entry
        if not mine:
            raise PermissionDenied(entries[0].denied or _("この操作を行う権限がありません。"))
        label = self.states(state).label
        message = mine[0].wrong_state or _("「%(state)s」の状態では「%(action)s」はできません。")
        raise TransitionError(message % {"state": label, "action": mine[0].label})

    def target(self, action: str) -> str | None:
        return self._entries(action)[0].target

    def rows(self) -> list[dict]:
        """The table for docs/architecture.md: action, from, to, who."""
        return [
            {
                "action": str(a.label),
                "sources": [str(self.states(s).label) for s in a.sources],
                "target": str(self.states(a.target).label) if a.target else "",
                "who": str(a.who_label),
            }
            for a in self.actions
        ]

    def markdown(self) -> str:
        """The transition table as Markdown (in Japanese, the labels' source language)."""
        lines = ["| action | from | to | who |", "|---|---|---|---|"]
        for row in self.rows():
            target = row["target"] or "(same)"
            lines.append(f"| {row['action']} | {' / '.join(row['sources'])} | {target} | {row['who']} |")
        return "\n".join(lines)


def all_workflows() -> dict[str, Workflow]:
    """Every app's workflow, importing each installed app's `workflow` module."""
    autodiscover_modules("workflow")
    return dict(sorted(REGISTRY.items()))


DOC_BLOCK = re.compile(r"(<!-- workflow:(\w+) -->\n)(.*?)(<!-- /workflow -->)", re.S)


def render_doc_tables(text: str) -> str:
    """`text` (docs/architecture.md) with each `<!-- workflow:NAME -->` block replaced by the table
    of that workflow, in Japanese as the code declares it."""
    workflows = all_workflows()
    with translation.override("ja"):
        return DOC_BLOCK.sub(lambda m: m.group(1) + workflows[m.group(2)].markdown() + "\n" + m.group(4), text)
