"""Reads of listings shared by several pages."""

from .models import Listing


def newest_listings(*, limit: int = 6):
    """The newest published themes and seeds for the home page."""
    return list(Listing.objects.open_now().with_related().order_by("-published_at", "-id")[:limit])
