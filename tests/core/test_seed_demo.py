import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo.organizations import DEMO_USERS
from matching.evaluation import PAIRS
from organizations.models import ContactPerson, Department, Organization


def snapshot():
    return (
        list(
            Organization.objects.order_by("id").values_list("name", "name_kana", "kind", "area__name", "is_published")
        ),
        list(Department.objects.order_by("id").values_list("name", "parent__name")),
        list(User.objects.order_by("id").values_list("email", "family_name")),
        list(ContactPerson.objects.order_by("id").values_list("name", "phone")),
    )


def seeded(seed):
    """Seed inside a transaction that is rolled back, returning what was made."""
    with transaction.atomic():
        call_command("seed_demo", "--seed", str(seed))
        made = snapshot()
        transaction.set_rollback(True)
    return made


@pytest.mark.django_db
def test_seed_demo_is_deterministic_for_a_seed():
    first = seeded(7)
    assert seeded(7) == first
    assert seeded(8) != first


@pytest.mark.django_db
def test_seed_demo_is_sized_like_a_city_with_every_role():
    call_command("seed_demo")
    # 300 generated groups and the suggestion evaluation's hand-written ones (matching.evaluation).
    assert Organization.objects.count() == 300 + len(PAIRS)
    assert 40 <= Department.objects.count() <= 80
    assert Department.objects.filter(is_coordinating_section=True).exists()
    assert set(Organization.objects.values_list("kind", flat=True)) == set(Organization.Kind.values)
    users = {key: User.objects.get(email=email) for email, _label, key in DEMO_USERS}
    assert all(u.check_password("kyodo-demo-2025") for u in users.values())
    assert users["admin"].is_superuser
    assert users["coordinator"].is_coordinator and users["center"].is_coordinator
    assert users["dept_staff"].is_department_staff and not users["dept_staff"].is_coordinator
    assert users["group_rep"].is_group_member
    _assert_demo_proposal_programme()


def _assert_demo_proposal_programme():
    """Both kinds of call in this and last fiscal year, proposals in every state the pages show, and
    the figures the programme's statistics read (asked here to seed only once)."""
    from core.japanese import fiscal_year
    from proposals.models import Call, Proposal, Score
    from stats.tables import TABLES

    this_year = fiscal_year(timezone.localdate())
    calls = set(Call.objects.values_list("fiscal_year", "call_type"))
    assert calls == {(fy, t) for fy in (this_year - 1, this_year) for t in ("administration", "citizen")}
    assert Call.objects.filter(call_type="administration", themes__listing__owner__kind="department").exists()
    assert {"draft", "submitted", "reviewing", "adopted", "rejected", "withdrawn"} <= set(
        Proposal.objects.values_list("status", flat=True)
    )
    adopted = Proposal.objects.filter(status__in=["adopted", "conditional"])
    assert adopted.exists() and not adopted.filter(project__isnull=True).exists()
    assert not Proposal.objects.filter(status="rejected", rejection_reason="").exists()
    assert Score.objects.exists()
    second = Proposal.objects.get(term_year=2, status="adopted")
    assert second.project == second.previous.project and second.project.fiscal_year_end == this_year
    funnel = TABLES["proposal-funnel"](this_year - 1, this_year).rows[-1]
    assert all(n > 0 for n in funnel[2:])  # 意見交換会, 申込, 採択


@pytest.mark.django_db
def test_seed_demo_refuses_a_populated_database_unless_if_empty(organization):
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert Organization.objects.count() == 1
