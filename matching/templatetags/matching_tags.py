"""Template tags of the matching app used on other apps' pages."""

from django import template

from accounts.roles import is_coordinator_or_admin

from ..services import suggest_partners

register = template.Library()

PANEL_LIMIT = 5


@register.inclusion_tag("matching/includes/suggestion_panel.html", takes_context=True)
def suggestion_panel(context, listing):
    """Suggested partners for a listing, shown to coordinators only on the listing's page."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    show = is_coordinator_or_admin(user) and listing.status == listing.Status.PUBLISHED
    return {
        "listing": listing,
        "suggestions": suggest_partners(listing, limit=PANEL_LIMIT) if show else [],
        "show": show,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("matching/includes/stage_badge.html")
def stage_badge(match):
    return {"match": match}
