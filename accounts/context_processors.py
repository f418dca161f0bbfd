from . import roles


def roles_context(request):
    """The user's roles for the navigation, asked of the one roles module (admins act as coordinators)."""
    user = getattr(request, "user", None)
    return {"is_coordinator_or_admin": roles.is_coordinator_or_admin(user), "is_admin": roles.is_admin(user)}
