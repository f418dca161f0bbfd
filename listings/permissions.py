"""Who may see, edit, review and discuss listings and interests."""

from django.db.models import Q

from accounts.roles import is_coordinator_or_admin, is_member_of, party_ids_of

from .models import Interest, Listing

PUBLIC_STATUSES = (Listing.Status.PUBLISHED, Listing.Status.CLOSED)


def is_listing_owner(user, listing) -> bool:
    return is_member_of(user, listing.owner_id)


def can_view_listing(user, listing) -> bool:
    return listing.status in PUBLIC_STATUSES or is_coordinator_or_admin(user) or is_listing_owner(user, listing)


def can_create_listing(user) -> bool:
    return bool(user and user.is_authenticated and party_ids_of(user))


def can_open_review_queue(user) -> bool:
    """The review queue and review pages; what may be done to each listing is in listings.workflow."""
    return is_coordinator_or_admin(user)


def interest_parties_for(user, listing) -> list[int]:
    """The parties a user may send interest from: their own, except the listing's owner."""
    return [pid for pid in party_ids_of(user) if pid != listing.owner_id]


def interest_party_choices(user, listing) -> list[tuple[int, str]]:
    """(id, name) of the parties a user may send interest from, from the user's role cache (no query)."""
    return [(pid, name) for pid, name in user.party_names.items() if pid != listing.owner_id]


def can_send_interest(user, listing) -> bool:
    return (
        bool(user and user.is_authenticated)
        and listing.status == Listing.Status.PUBLISHED
        and bool(interest_parties_for(user, listing))
    )


def interests_visible_to(user):
    """Coordinators see every interest; others those sent by or to one of their parties."""
    qs = Interest.objects.all()
    if is_coordinator_or_admin(user):
        return qs
    parties = party_ids_of(user)
    return qs.filter(Q(listing__owner_id__in=parties) | Q(from_party_id__in=parties))


def can_view_interest(user, interest) -> bool:
    if is_coordinator_or_admin(user):
        return True
    parties = party_ids_of(user)
    return interest.listing.owner_id in parties or interest.from_party_id in parties


def can_reply_interest(user, interest) -> bool:
    parties = party_ids_of(user)
    return interest.listing.owner_id in parties or interest.from_party_id in parties


def can_follow(user) -> bool:
    return bool(user and user.is_authenticated and user.organization_ids)
