from .services import unread_count


def unread_notices(request):
    """The unread notice count shown in the navigation of a logged-in user (from the shared cache)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": unread_count(user)}
