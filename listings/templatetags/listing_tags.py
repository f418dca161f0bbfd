from django import template

from listings.widgets import options_html

register = template.Library()


@register.simple_tag
def party_url(party) -> str:
    """The public page of a party's organization or department."""
    return party.entity.get_absolute_url()


@register.inclusion_tag("listings/includes/newest_panel.html")
def newest_listings_panel(limit=6):
    """The home page's newest themes and menu items of the city, and needs and seeds of groups."""
    from listings.selectors import newest_by_side

    return newest_by_side(limit=limit)


@register.filter
def select_options(bound_field):
    """The <option> elements of a choice field, the bound value selected (see listings.widgets)."""
    value = bound_field.value()
    return options_html(bound_field.field.choices, {"" if value is None else str(value)})
