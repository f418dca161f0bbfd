"""Shared state of one seed_demo run: the random source, the scale, progress output, and what earlier
steps made (later steps build on it)."""

import random
import time
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    scale: int
    seed: int
    out: object  # a management command's stdout
    rng: random.Random = field(init=False)
    made: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def progress(self, label: str, done: int, total: int):
        """One line per step, at most about ten per step, so long runs show they are alive."""
        step = max(1, total // 10)
        if done == total or done % step == 0:
            elapsed = time.monotonic() - self.started
            self.out.write(f"  {label}: {done}/{total} ({elapsed:.0f}s)")

    def count(self, label: str, n: int):
        self.counts[label] = self.counts.get(label, 0) + n


def first_member_by_party() -> dict[int, int]:
    """{party id: the id of its first member}, for every party that has one (who sends its interests,
    answers its matches)."""
    from organizations.models import DepartmentMembership, OrganizationMembership

    out = {}
    for party_id, user_id in DepartmentMembership.objects.order_by("id").values_list("department__party_id", "user_id"):
        out.setdefault(party_id, user_id)
    for party_id, user_id in OrganizationMembership.objects.order_by("id").values_list(
        "organization__party_id", "user_id"
    ):
        out.setdefault(party_id, user_id)
    return out
