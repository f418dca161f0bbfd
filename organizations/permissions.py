"""Who may do what with organizations and departments, and which parties a user acts for."""

from .models import Party


def party_ids_of(user) -> set[int]:
    """Ids of the parties a user acts for: their organizations' and their departments' parties."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_party_ids", None)
    if cached is None:
        cached = set(
            Party.objects.filter(organization__id__in=user.organization_ids).values_list("id", flat=True)
        ) | set(Party.objects.filter(department__id__in=user.department_ids).values_list("id", flat=True))
        user._party_ids = cached
    return cached
