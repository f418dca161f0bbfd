from django.conf import settings


def portal(request):
    """Portal name and city, on every page."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "CITY_NAME": settings.CITY_NAME}
