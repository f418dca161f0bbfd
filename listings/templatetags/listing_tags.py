from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.simple_tag
def party_url(party) -> str:
    """The public page of a party's organization or department ("" while that page is not routed)."""
    try:
        return party.entity.get_absolute_url()
    except NoReverseMatch:
        return ""


@register.inclusion_tag("listings/includes/newest_panel.html")
def newest_listings_panel(limit=6):
    """The home page's newest themes and menu items of the city, and needs and seeds of groups."""
    from listings.selectors import newest_by_side

    return newest_by_side(limit=limit)
