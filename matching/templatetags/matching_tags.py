"""Template tags of the matching app used on other apps' pages."""

from django import template

register = template.Library()


@register.inclusion_tag("matching/includes/suggestion_panel.html", takes_context=True)
def suggestion_panel(context, listing):
    """Suggested partners for a listing, shown to coordinators on the listing's page."""
    return {"listing": listing, "suggestions": [], "show": False}
