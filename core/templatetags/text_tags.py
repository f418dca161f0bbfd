"""Text filters every template may use (a builtin library, see TEMPLATES)."""

from functools import reduce

from django import template

from core import japanese

register = template.Library()


@register.filter
def join_names(items, attribute: str = "") -> str:
    """`{{ listing.activity_fields.all|join_names }}`, or of an attribute of each item
    (`{{ match.participants.all|join_names:"party.name" }}`): 「、」 in Japanese, ", " in English."""
    if attribute:
        items = (reduce(getattr, attribute.split("."), item) for item in items)
    return japanese.join_names(items)
