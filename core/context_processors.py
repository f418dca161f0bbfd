from django.conf import settings

from core.i18n import in_reader_language


def portal(request):
    """Portal name and city on every page (in the page's language), and whether this is a development
    server (DEBUG)."""
    return {
        "PORTAL_NAME": in_reader_language(settings.PORTAL_NAME, settings.PORTAL_NAME_EN),
        "CITY_NAME": in_reader_language(settings.CITY_NAME, settings.CITY_NAME_EN),
        "DEV_MODE": settings.DEBUG,
    }
