"""Links to the pages where a queue is handled in full, tolerant of pages not built yet.

Other apps own these URL names (docs/architecture.md, the shared brief): until a name exists the
queue shows no "see all" link.
"""

from django.urls import NoReverseMatch, reverse


def optional_url(name: str, *args) -> str | None:
    """reverse(name), or None while the page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
