from django.conf import settings


def portal(request):
    """Portal name and city on every page, and whether this is a development server (DEBUG)."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "CITY_NAME": settings.CITY_NAME, "DEV_MODE": settings.DEBUG}
