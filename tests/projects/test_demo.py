import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from projects.models import Agreement, CaseStudy, CollaborationProject, FollowUp, ReviewPart

pytestmark = pytest.mark.django_db
Status = CollaborationProject.Status


def seeded():
    """Seed inside a rolled-back transaction; return a snapshot and the facts the demo must show."""
    with transaction.atomic():
        call_command("seed_demo", "--seed", "11", stdout=open("/dev/null", "w"))
        snapshot = list(
            CollaborationProject.objects.order_by("id").values_list(
                "title", "status", "fiscal_year_start", "budget_total", "department__name", "is_imported"
            )
        )
        scores = {}
        for sheet_id, score in ReviewPart.objects.values_list("sheet_id", "equal_standing"):
            scores.setdefault(sheet_id, []).append(score)
        facts = {
            "statuses": set(CollaborationProject.objects.values_list("status", flat=True)),
            "years": CollaborationProject.objects.values("fiscal_year_start").distinct().count(),
            "from_matches": CollaborationProject.objects.filter(match__isnull=False).count(),
            "imported": CollaborationProject.objects.filter(is_imported=True).count(),
            "superseded": Agreement.objects.filter(status=Agreement.Status.SUPERSEDED).count(),
            "disagreements": sum(1 for s in scores.values() if None not in s and max(s) - min(s) >= 2),
            "follow_ups": FollowUp.objects.count(),
            "cases": CaseStudy.objects.filter(is_published=True).count(),
            "forms": list(
                CollaborationProject.forms.through.objects.values_list("collaborationform__code")
                .annotate(n=Count("id"))
                .order_by("-n")[:2]
            ),
        }
        transaction.set_rollback(True)
    return snapshot, facts


def test_demo_has_projects_in_every_status_over_the_years_and_is_deterministic():
    snapshot, facts = seeded()
    assert 240 <= len(snapshot) <= 260
    assert facts["statuses"] == set(Status.values)
    assert facts["years"] >= 8
    assert facts["from_matches"] > 0 and facts["imported"] > 0
    assert facts["superseded"] > 0 and facts["disagreements"] > 0
    assert facts["follow_ups"] > 0 and facts["cases"] > 0
    assert {code for code, _n in facts["forms"]} == {"cooperation", "commission"}
    again, _facts = seeded()
    assert again == snapshot
