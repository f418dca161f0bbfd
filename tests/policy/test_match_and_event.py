"""Match stages and exchange events: role × state × action. The table is the rule; the workflow, the
buttons of the match and event pages, and a forged POST agree with it. The public event page names
the presenting parties only, never who registered to attend."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from events.models import EventRegistration, ExchangeEvent
from events.workflow import EXCHANGE_EVENT
from matching.models import Match, MatchParticipant
from matching.workflow import MATCH_STAGES
from tests.policy.support import actor, client_for, page_text

Stage = Match.Stage
E = ExchangeEvent.Status
pytestmark = pytest.mark.django_db

MOVES = {
    Stage.PROPOSED: {"send", "hold", "fail"},
    Stage.AWAITING: {"hold", "fail"},
    Stage.PRE_MEETING: {"advance", "hold", "fail", "schedule_meeting"},
    Stage.NEGOTIATING: {"establish", "hold", "fail", "schedule_meeting"},
    Stage.ON_HOLD: {"resume"},
}
NOT_CLOSED = {Stage.PROPOSED, Stage.AWAITING, Stage.PRE_MEETING, Stage.NEGOTIATING, Stage.ON_HOLD}


def _coordinating(stage):
    return MOVES.get(stage, set()) | ({"note", "record_minutes"} if stage in NOT_CLOSED else set())


def _participating(stage):
    """A member of a participant that has accepted (here: requested the match, so it sees the 提案)."""
    meetings = {"schedule_meeting"} if stage in (Stage.PRE_MEETING, Stage.NEGOTIATING) else set()
    return meetings | ({"note", "record_minutes"} if stage in NOT_CLOSED else set())


ROLES = ("coordinator", "admin", "participant", "outsider", "anonymous")


@pytest.fixture
def people():
    org = f.OrganizationFactory()
    return {
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "participant": f.make_group_member(org),
        "outsider": f.make_group_member(f.OrganizationFactory()),
        "anonymous": None,
        "org": org,
    }


def _match(people, stage):
    match = f.MatchFactory(stage=stage)
    f.MatchParticipantFactory(match=match, party=people["org"].party, response=MatchParticipant.Response.ACCEPTED)
    f.MatchParticipantFactory(match=match, party=f.DepartmentFactory().party)
    return match


def _expected(role, stage):
    if role in ("coordinator", "admin"):
        return _coordinating(stage)
    return _participating(stage) if role == "participant" else set()


def _match_buttons(client, match) -> set[str]:
    page = page_text(client, match.get_absolute_url())
    shown = {
        a
        for a in ("send", "advance", "establish", "hold", "resume", "fail", "note")
        if f'action="{reverse("matching:match_action", args=[match.pk, a])}"' in page
    }
    if f'href="{reverse("matching:meeting_create", args=[match.pk])}"' in page:
        shown.add("schedule_meeting")
    return shown


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("stage", list(Stage))
def test_match_page_and_post_agree_with_the_table(people, role, stage):
    user = people[role]
    match = _match(people, stage)
    expected = _expected(role, stage)
    assert MATCH_STAGES.allowed_actions(actor(user), match) == expected
    assert _match_buttons(client_for(user), match) == expected - {"record_minutes"}
    for action in ("send", "advance", "hold", "resume"):
        forged = _match(people, stage)
        client_for(user).post(reverse("matching:match_action", args=[forged.pk, action]), {"version": forged.version})
        forged.refresh_from_db()
        assert (forged.stage != stage) == (action in expected and action != "advance"), (
            action
        )  # advance needs a held meeting


EVENT_ROLES = ("coordinator", "admin", "member", "anonymous")


def _event(status, *, past=False):
    starts = timezone.now() + datetime.timedelta(days=-1 if past else 14)
    return f.ExchangeEventFactory(status=status, starts_at=starts)


def _event_expected(role, status, past):
    coordinator = role in ("coordinator", "admin")
    allowed = set()
    if coordinator and status == E.DRAFT:
        allowed.add("publish")
    if coordinator and status != E.CANCELLED and not past:
        allowed.add("cancel")
    if coordinator and status == E.PUBLISHED and past:
        allowed.add("record_outcomes")
    if role in ("member", "coordinator") and status == E.PUBLISHED and not past:  # admins act for no party
        allowed.add("register")
    return allowed


def _event_buttons(client, event) -> set[str]:
    page = page_text(client, event.get_absolute_url())
    shown = set()
    for action, url in (
        ("publish", reverse("events:event_publish", args=[event.pk])),
        ("cancel", reverse("events:event_cancel", args=[event.pk])),
    ):
        if f'action="{url}"' in page:
            shown.add(action)
    if f'href="{reverse("matching:event_outcomes", args=[event.pk])}"' in page:
        shown.add("record_outcomes")
    if 'name="party"' in page:
        shown.add("register")
    return shown


@pytest.mark.parametrize("role", EVENT_ROLES)
@pytest.mark.parametrize("status", list(E))
@pytest.mark.parametrize("past", [False, True])
def test_event_page_and_post_agree_with_the_table(people, role, status, past):
    user = people["participant"] if role == "member" else people[role]
    event = _event(status, past=past)
    expected = _event_expected(role, status, past)
    assert EXCHANGE_EVENT.allowed_actions(actor(user), event) == expected
    assert _event_buttons(client_for(user), event) == expected
    forged = _event(status, past=past)
    client_for(user).post(reverse("events:event_cancel", args=[forged.pk]), {"reason": "台風のため"})
    forged.refresh_from_db()
    assert (forged.status == E.CANCELLED and status != E.CANCELLED) == ("cancel" in expected)


def test_the_public_event_page_names_presenters_not_attendees(people):
    event = _event(E.PUBLISHED)
    presenter, attendee = f.OrganizationFactory(name="発表する会"), f.OrganizationFactory(name="聴きに来る会")
    EventRegistration.objects.create(event=event, party=presenter.party, role=EventRegistration.Role.PRESENT)
    EventRegistration.objects.create(event=event, party=attendee.party, role=EventRegistration.Role.ATTEND)
    for role in ("anonymous", "outsider"):
        page = page_text(client_for(people[role]), event.get_absolute_url())
        assert "発表する会" in page and "聴きに来る会" not in page
    page = page_text(client_for(people["coordinator"]), event.get_absolute_url())
    assert "発表する会" in page and "聴きに来る会" in page
