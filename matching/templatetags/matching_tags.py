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


# The path a match walks (DOMAIN.md, "The path of one collaboration"); 不成立 and 保留 leave it.
PROGRESS_STEPS = ("proposed", "awaiting", "pre_meeting", "negotiating", "established")


@register.inclusion_tag("matching/includes/stage_progress.html")
def stage_progress(match):
    """The match's stage as steps: done, current, to come. A held match shows where it was held;
    a failed one shows no current step (its badge says 不成立)."""
    from ..models import Match

    stage = match.stage
    if stage == Match.Stage.ON_HOLD:
        stage = match.stage_before_hold or Match.Stage.PRE_MEETING
    current = PROGRESS_STEPS.index(stage) if stage in PROGRESS_STEPS else -1
    steps = [
        {"label": Match.Stage(step).label, "state": "done" if i < current else "current" if i == current else "todo"}
        for i, step in enumerate(PROGRESS_STEPS)
    ]
    if match.stage == Match.Stage.ESTABLISHED:
        steps[-1]["state"] = "done"
    return {"steps": steps, "match": match, "position": current + 1, "total": len(PROGRESS_STEPS)}
