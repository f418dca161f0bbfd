"""Links to the pages where an item is handled, tolerant of pages not built yet.

Other apps own these URL names (docs/architecture.md, the shared brief). Until a name exists the
link falls back to the object's Django admin change page, so the dashboard always links somewhere.
"""

from django.urls import NoReverseMatch, reverse


def url_for(name: str, obj, *args) -> str:
    """reverse(name, args or [obj.pk]), else the admin change page of obj."""
    try:
        return reverse(name, args=args or [obj.pk])
    except NoReverseMatch:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def optional_url(name: str, *args) -> str | None:
    """reverse(name), or None while the page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
