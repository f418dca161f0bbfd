import pytest
from django.contrib.auth.models import AnonymousUser

from demo import factories as f
from matching import permissions, services
from matching.workflow import MATCH_STAGES

from .helpers import make_match

pytestmark = pytest.mark.django_db


def test_matches_visible_to_participants_and_coordinators_only(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="awaiting")
    other, _, _ = make_match(coordinator, stage="awaiting", title="他の案件")
    assert set(permissions.matches_visible_to(coordinator)) == {match, other}
    assert list(permissions.matches_visible_to(group_user)) == [match]
    assert list(permissions.matches_visible_to(dept_user)) == [match]
    assert not permissions.matches_visible_to(f.make_group_member()).exists()
    assert not permissions.can_view_match(AnonymousUser(), match)


def test_contacts_become_visible_only_when_everyone_accepted(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="awaiting")
    group_party = match.participants.get(party__kind="organization").party
    dept_party = match.participants.get(party__kind="department").party
    services.match_respond(match=match, actor=group_user, party=group_party, accept=True)
    match = match.__class__.objects.get(pk=match.pk)
    assert not permissions.can_view_contacts(group_user, match)
    assert not permissions.can_view_contacts(coordinator, match)
    services.match_respond(match=match, actor=dept_user, party=dept_party, accept=True)
    match = match.__class__.objects.get(pk=match.pk)
    assert permissions.can_view_contacts(group_user, match)
    assert not permissions.can_view_contacts(f.make_group_member(), match)


def test_only_pending_own_parties_can_respond(coordinator):
    match, group_user, _ = make_match(coordinator, stage="awaiting")
    assert [p.party.kind for p in permissions.pending_participants(group_user, match)] == ["organization"]
    assert MATCH_STAGES.can(group_user, match, "respond")
    assert permissions.pending_participants(coordinator, match) == []
    assert not MATCH_STAGES.can(coordinator, match, "respond")
    proposed, group_user2, _ = make_match(coordinator, title="提案のみ")
    assert not MATCH_STAGES.can(group_user2, proposed, "respond")


def test_stage_moves_are_for_coordinators(coordinator, group_member):
    match, group_user, _ = make_match(coordinator)
    assert MATCH_STAGES.allowed_actions(coordinator, match) >= {"send", "hold", "fail"}
    assert not {"send", "hold", "fail"} & MATCH_STAGES.allowed_actions(group_user, match)
