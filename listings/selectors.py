"""Reads of listings shared by several pages."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from organizations.models import CollaborationForm, Party

from .models import Interest, InterestMessage, Listing


def newest_by_side(*, limit: int = 6) -> dict[str, list[Listing]]:
    """The newest open city themes/menu items and group needs/seeds, for the home page (2 × 3 queries)."""
    base = Listing.objects.open_now().with_related().order_by("-published_at", "-id")
    return {
        "city": list(base.filter(owner__kind=Party.Kind.DEPARTMENT)[:limit]),
        "groups": list(base.filter(owner__kind=Party.Kind.ORGANIZATION)[:limit]),
    }


def public_index():
    """Published listings whose period has not ended, newest first."""
    return Listing.objects.open_now().with_related().order_by("-published_at", "-id")


RELATED_CANDIDATES = 300


def related_listings(listing: Listing, *, limit: int = 5):
    """Open listings sharing activity fields or forms with this one, most shared first.

    One query, bounded: the newest RELATED_CANDIDATES open listings that share anything are ranked
    by how many fields and forms they share (counted on the through tables), so the cost does not
    grow with the number of listings in the city.
    """
    field_ids = [f.pk for f in listing.activity_fields.all()]
    form_ids = [f.pk for f in listing.forms.all()]
    if not field_ids and not form_ids:
        return []
    FieldLink = Listing.activity_fields.through
    FormLink = Listing.forms.through
    candidates = (
        Listing.objects.open_now()
        .exclude(pk=listing.pk)
        .filter(
            Q(pk__in=FieldLink.objects.filter(activityfield_id__in=field_ids).values("listing_id"))
            | Q(pk__in=FormLink.objects.filter(collaborationform_id__in=form_ids).values("listing_id"))
        )
        .order_by("-published_at", "-id")
        .values("pk")[:RELATED_CANDIDATES]
    )

    def shared(link, column, ids):
        counted = (
            link.objects.filter(listing_id=OuterRef("pk"), **{f"{column}__in": ids})
            .order_by()
            .values("listing_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return list(
        Listing.objects.filter(pk__in=candidates)
        .annotate(
            shared=shared(FieldLink, "activityfield_id", field_ids) + shared(FormLink, "collaborationform_id", form_ids)
        )
        .select_related("owner__organization", "owner__department__parent")
        .order_by("-shared", "-published_at", "-id")[:limit]
    )


MENU_ITEMS_PER_FORM = 12


def menu_forms():
    """Every collaboration form with the city's newest open menu items and themes under it (one
    prefetch query, at most MENU_ITEMS_PER_FORM per form)."""
    city_items = (
        Listing.objects.open_now()
        .filter(owner__kind=Party.Kind.DEPARTMENT)
        .select_related("owner__department__parent")
        .order_by("kind", "-published_at", "-id")
    )
    return list(
        CollaborationForm.objects.prefetch_related(
            Prefetch("listing_set", queryset=city_items[:MENU_ITEMS_PER_FORM], to_attr="city_listings")
        )
    )


def review_queue():
    return Listing.objects.filter(status=Listing.Status.PENDING).with_related().order_by("updated_at", "id")


def listings_of_parties(party_ids):
    return (
        Listing.objects.filter(owner_id__in=party_ids)
        .select_related("owner__organization", "owner__department__parent")
        .annotate(interest_count=Count("interests"))
        .order_by("-updated_at", "-id")
    )


def interests_with_related(qs):
    return qs.select_related(
        "listing__owner__organization",
        "listing__owner__department__parent",
        "from_party__organization",
        "from_party__department__parent",
        "sender",
    ).annotate(message_count=Count("messages"))


def interest_detail(pk):
    return (
        Interest.objects.select_related(
            "listing__owner__organization",
            "listing__owner__department__parent",
            "from_party__organization",
            "from_party__department__parent",
            "sender",
            "origin_event",
        )
        .prefetch_related(Prefetch("messages", queryset=InterestMessage.objects.select_related("author")))
        .get(pk=pk)
    )
