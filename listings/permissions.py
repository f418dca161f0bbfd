"""Who may see, edit, review and discuss listings and interests."""

from django.db.models import Q

from organizations.permissions import party_ids_of

from .models import Interest, Listing

PUBLIC_STATUSES = (Listing.Status.PUBLISHED, Listing.Status.CLOSED)
OWNER_EDITABLE = (Listing.Status.DRAFT, Listing.Status.RETURNED)
COORDINATOR_EDITABLE = (Listing.Status.DRAFT, Listing.Status.RETURNED, Listing.Status.PENDING)


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_coordinator)


def is_listing_owner(user, listing) -> bool:
    return listing.owner_id in party_ids_of(user)


def listings_visible_to(user):
    """Published and closed listings for everyone; every status for the owner and coordinators."""
    qs = Listing.objects.all()
    if is_coordinator(user):
        return qs
    return qs.filter(Q(status__in=PUBLIC_STATUSES) | Q(owner_id__in=party_ids_of(user)))


def can_view_listing(user, listing) -> bool:
    return listing.status in PUBLIC_STATUSES or is_coordinator(user) or is_listing_owner(user, listing)


def can_create_listing(user) -> bool:
    return bool(user and user.is_authenticated and party_ids_of(user))


def can_edit_listing(user, listing) -> bool:
    if is_coordinator(user) and listing.status in COORDINATOR_EDITABLE:
        return True
    return is_listing_owner(user, listing) and listing.status in OWNER_EDITABLE


def can_submit_listing(user, listing) -> bool:
    return is_listing_owner(user, listing) and listing.status in OWNER_EDITABLE


def can_withdraw_listing(user, listing) -> bool:
    """The owner may take a listing back from review (審査中 → 下書き) to change it."""
    return is_listing_owner(user, listing) and listing.status == Listing.Status.PENDING


def can_review_listing(user, listing=None) -> bool:
    return is_coordinator(user) and (listing is None or listing.status == Listing.Status.PENDING)


def can_close_listing(user, listing) -> bool:
    return listing.status == Listing.Status.PUBLISHED and (is_coordinator(user) or is_listing_owner(user, listing))


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
    if is_coordinator(user):
        return qs
    parties = party_ids_of(user)
    return qs.filter(Q(listing__owner_id__in=parties) | Q(from_party_id__in=parties))


def can_view_interest(user, interest) -> bool:
    if is_coordinator(user):
        return True
    parties = party_ids_of(user)
    return interest.listing.owner_id in parties or interest.from_party_id in parties


def can_reply_interest(user, interest) -> bool:
    parties = party_ids_of(user)
    return interest.listing.owner_id in parties or interest.from_party_id in parties


def can_follow(user) -> bool:
    return bool(user and user.is_authenticated and user.organization_ids)
