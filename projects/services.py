"""Writes of collaboration projects and their records; every state change goes through here."""

from django.db import transaction

from core.japanese import fiscal_year
from organizations.models import Party

from .models import CollaborationProject, ProjectParticipant


@transaction.atomic
def project_create_from_match(*, match, actor) -> CollaborationProject:
    """The project that a 成立 match starts: its accepted participants, coordinator and listings' forms.

    Called by matching.services when a match reaches 成立; the caller has checked the transition.
    """
    participants = list(match.participants.select_related("party__department").filter(response="accepted"))
    department = next((p.party.department for p in participants if p.party.kind == Party.Kind.DEPARTMENT), None)
    project = CollaborationProject.objects.create(
        title=match.title,
        match=match,
        department=department,
        summary=match.summary,
        fiscal_year_start=fiscal_year(match.closed_at.date() if match.closed_at else match.updated_at.date()),
        origin="both",
        coordinator=match.coordinator,
        created_by=actor,
    )
    ProjectParticipant.objects.bulk_create(ProjectParticipant(project=project, party=p.party) for p in participants)
    forms = {form for listing in match.listings.prefetch_related("forms") for form in listing.forms.all()}
    project.forms.set(forms)
    return project
