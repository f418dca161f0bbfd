"""Shared set-ups for the matching tests: a match in a given stage with members for each party."""

import datetime

from django.utils import timezone

from demo import factories as f
from matching import services
from matching.models import Meeting


def make_match(coordinator, *, stage="proposed", group=None, department=None, title="子育てサロンの協働"):
    """A match between a group and a department, driven through the services up to `stage`."""
    group = group or f.OrganizationFactory()
    department = department or f.DepartmentFactory(parent=f.DivisionFactory())
    group_user = group.memberships.first().user if group.memberships.exists() else f.make_group_member(group)
    dept_user = (
        department.memberships.first().user if department.memberships.exists() else f.make_department_staff(department)
    )
    match = services.match_propose(actor=coordinator, title=title, parties=[group.party, department.party])
    if stage == "proposed":
        return match, group_user, dept_user
    services.match_send_to_participants(match=match, actor=coordinator)
    if stage == "awaiting":
        match.refresh_from_db()
        return match, group_user, dept_user
    services.match_respond(match=match, actor=group_user, party=group.party, accept=True)
    services.match_respond(match=match, actor=dept_user, party=department.party, accept=True)
    if stage == "pre_meeting":
        match.refresh_from_db()
        return match, group_user, dept_user
    hold_meeting(match, coordinator)
    services.match_advance(match=match, actor=coordinator)
    match.refresh_from_db()
    return match, group_user, dept_user


def hold_meeting(match, actor):
    meeting = services.meeting_schedule(
        match=match,
        actor=actor,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="市民活動サポートセンター",
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    return services.meeting_record_minutes(meeting=meeting, actor=actor, minutes="目的を共有した。")
