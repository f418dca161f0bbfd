from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def party_url(party) -> str:
    """The public page of a party's organization or department."""
    return party.entity.get_absolute_url()


@register.simple_tag
def newest_listings_panel(limit=6):
    """The home page's newest themes and menu items of the city, and needs and seeds of groups.

    The same for every visitor: rendered once per language and day and kept until a listing changes
    (one indexed query instead of six and twelve cards per visit; the home page is the most visited)."""
    from listings.selectors import cached_while_unchanged, newest_by_side

    def render():
        return render_to_string("listings/includes/newest_panel.html", newest_by_side(limit=limit))

    key = f"{limit}|{get_language()}|{timezone.localdate().isoformat()}"
    return mark_safe(cached_while_unchanged("newest-panel", key, render))  # noqa: S308 (a rendered template)


@register.simple_tag
def party_listings(party_id, limit=20):
    """A party's published, open listings, for its group's or department's page (organizations may
    not import listings, so the page asks for them here)."""
    from listings.selectors import public_index

    return list(public_index().filter(owner_id=party_id)[:limit])
