"""System checks that keep a production start honest: they stop `migrate`, `check` and `make serve`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register, run_checks
from django.core.exceptions import ImproperlyConfigured

TAG = "production_config"

# Each of these keeps its data inside one process (or one machine's disk), so a rate limit or a used
# TOTP code would hold for one gunicorn worker only.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(TAG)
def shared_cache(app_configs, **kwargs):
    """Production needs a cache every worker shares: rate limits and TOTP replay live there."""
    if not settings.PRODUCTION:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache ({backend}) is not shared between worker processes.",
                hint="Set REDIS_URL (or CACHE_URL), e.g. redis://127.0.0.1:6379/0: rate limits and "
                "used two-factor codes must hold across every worker.",
                id="core.E001",
            )
        ]
    return []


@register(TAG)
def site_url(app_configs, **kwargs):
    """Production links (reset mails, .ics, open data) need the portal's real address."""
    if not settings.PRODUCTION:
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and parts.netloc and parts.path in ("", "/"):
        return []
    return [
        Error(
            f"SITE_URL is not set to the portal's address ({settings.SITE_URL!r}).",
            hint="Set SITE_URL, e.g. https://kyodo.city.example.jp: every link in e-mails, .ics files "
            "and open data starts with it (never with the request's Host header).",
            id="core.E002",
        )
    ]


def raise_for_production_errors():
    """For config.wsgi: refuse to serve when a production check fails (gunicorn runs none)."""
    errors = [error for error in run_checks(tags=[TAG]) if error.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{error.id}: {error.msg} {error.hint or ''}" for error in errors))
