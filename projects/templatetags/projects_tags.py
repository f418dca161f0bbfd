"""Small display helpers for project pages: yen amounts, 令和 labels, score marks."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.japanese import fiscal_year_label, wareki_date

register = template.Library()


@register.filter
def yen(value):
    """1234567 -> 1,234,567円 (¥1,234,567 in English); a dash when unknown."""
    if value is None or value == "":
        return "—"
    if not translation.get_language().startswith("ja"):
        return f"¥{intcomma(value)}"
    return f"{intcomma(value)}円"


@register.filter
def wareki(value):
    """A date on a record: 令和8年12月4日 in Japanese, the locale's date format otherwise."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if translation.get_language().startswith("ja"):
        return wareki_date(value)
    return date_format(value, "DATE_FORMAT")


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
