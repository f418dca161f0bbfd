from django.conf import settings


def portal(request):
    """Portal name, whether this is a development server (DEBUG) and, for a logged-in user, the unread notice count shown in the navigation."""
    context = {"PORTAL_NAME": settings.PORTAL_NAME, "CITY_NAME": settings.CITY_NAME, "DEV_MODE": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notification_count"] = user.notifications.filter(read_at__isnull=True).count()
    return context
