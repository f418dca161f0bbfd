"""The header search's section for needs, seeds, themes and menu items (registered in apps.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import search
from core.sitesearch import Hit, Section

from .models import Listing
from .selectors import CARD_FIELDS


def find_listings(user, query: str, limit: int) -> list[Hit]:
    rows = (
        search(Listing.objects.open_now(), query)
        .select_related("owner__organization", "owner__department")
        .only(*CARD_FIELDS)
        .order_by("-published_at", "-id")
    )
    return [Hit(x.title, x.get_absolute_url(), f"{x.display_kind}・{x.owner.name}") for x in rows[:limit]]


SECTIONS = [
    Section(
        "listings",
        _("ニーズ・シーズ・協働テーマ"),
        30,
        find_listings,
        lambda q: reverse("listings:index") + "?" + urlencode({"q": q}),
    )
]
