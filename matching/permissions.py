"""Who may see and act on matches and meetings."""

from django.db.models import Q

from accounts.roles import is_coordinator_or_admin, party_ids_of

from .models import Match, MatchParticipant


def is_participant(user, match: Match) -> bool:
    """A member of one of the match's parties."""
    parties = party_ids_of(user)
    if not parties:
        return False
    return any(p.party_id in parties for p in match.participants.all())


def matches_visible_to(user):
    """Coordinators see every match; members of a party see the matches their parties take part in,
    except a 提案 not yet sent to them (the coordinators' draft; a party that requested the match
    has accepted it and sees it)."""
    if is_coordinator_or_admin(user):
        return Match.objects.all()
    shown = ~Q(stage=Match.Stage.PROPOSED) | Q(participants__response=MatchParticipant.Response.ACCEPTED)
    # One filter() call: both conditions apply to the same participant row, the user's own party.
    return Match.objects.filter(Q(participants__party_id__in=party_ids_of(user)) & shown).distinct()


def can_view_match(user, match: Match) -> bool:
    if is_coordinator_or_admin(user):
        return True
    parties = party_ids_of(user)
    return any(
        p.party_id in parties
        and (match.stage != Match.Stage.PROPOSED or p.response == MatchParticipant.Response.ACCEPTED)
        for p in match.participants.all()
    )


def can_request_match(user) -> bool:
    return bool(user and user.is_authenticated and party_ids_of(user))


def pending_participants(user, match: Match) -> list[MatchParticipant]:
    """The participants this user may answer for (their own parties, not yet answered); whether the
    stage takes answers now is matching.workflow's "respond"."""
    parties = party_ids_of(user)
    return [
        p for p in match.participants.all() if p.party_id in parties and p.response == MatchParticipant.Response.PENDING
    ]


def all_accepted(match: Match) -> bool:
    participants = list(match.participants.all())
    return bool(participants) and all(p.response == MatchParticipant.Response.ACCEPTED for p in participants)


def can_view_contacts(user, match: Match) -> bool:
    """The parties' contact details are shown on the match page only once every participant accepted."""
    return can_view_match(user, match) and all_accepted(match)


def accepted_match_with(party_ids: set[int], organization) -> bool:
    """Whether one of these parties shares with the group a match no participant has declined or left
    unanswered: the group's page then shows them its contact persons (organizations.CONTACT_GRANTS)."""
    not_accepted = [MatchParticipant.Response.PENDING, MatchParticipant.Response.DECLINED]
    return (
        Match.objects.filter(participants__party_id=organization.party_id)
        .filter(participants__party_id__in=party_ids)
        .exclude(participants__response__in=not_accepted)
        .exists()
    )
