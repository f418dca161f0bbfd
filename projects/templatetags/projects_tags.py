"""Small display helpers for project pages: yen amounts, 令和 labels, score marks."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from core.japanese import fiscal_year_label

register = template.Library()


@register.filter
def yen(value):
    """1234567 -> 1,234,567円; blank when unknown."""
    if value is None or value == "":
        return "—"
    return f"{intcomma(value)}円"


@register.filter
def fy_label(year):
    return fiscal_year_label(int(year)) if year else "—"


@register.filter
def status_class(status):
    return {
        "preparing": "secondary",
        "agreed": "info",
        "in_progress": "primary",
        "reviewing": "warning",
        "completed": "success",
        "follow_up": "success",
        "draft": "secondary",
        "submitted": "success",
        "returned": "warning",
        "confirming": "info",
        "fixed": "success",
        "superseded": "dark",
    }.get(status, "secondary")
