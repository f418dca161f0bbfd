"""Absolute links to the portal: always from SITE_URL, never from the request's Host header (a forged
Host would otherwise put an attacker's address into a password-reset mail)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """The portal URL of `path` (which starts with /) for e-mails, .ics files and open data."""
    return settings.SITE_URL.rstrip("/") + path


class PortalSite:
    """Stands in for django.contrib.sites' current site in allauth's mails (name and domain)."""

    def __init__(self):
        self.name = settings.PORTAL_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc
