"""Template tags of the matching app used on other apps' pages."""

from django import template

from accounts.roles import is_coordinator_or_admin

register = template.Library()


@register.inclusion_tag("matching/includes/suggestion_panel.html", takes_context=True)
def suggestion_panel(context, listing):
    """The slot of the suggested partners on a listing's page, for coordinators only: htmx fills it
    after the page has loaded (matching:suggestion_panel), so the ranking never delays the page;
    without JavaScript its link leads to the suggestions page."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    show = is_coordinator_or_admin(user) and listing.status == listing.Status.PUBLISHED
    return {
        "listing": listing,
        "show": show,
        "lazy": True,
    }


@register.inclusion_tag("matching/includes/stage_badge.html")
def stage_badge(match):
    return {"match": match}
