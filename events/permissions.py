"""Who may see exchange events and their registrations."""

from accounts.roles import is_coordinator_or_admin

from .models import EventRegistration, ExchangeEvent


def can_view_event(user, event: ExchangeEvent) -> bool:
    return event.status != ExchangeEvent.Status.DRAFT or is_coordinator_or_admin(user)


def registrations_shown_to(user, registrations) -> list[EventRegistration]:
    """Coordinators see every registration of an event; everyone else only the parties that present
    (who attends is not published)."""
    if is_coordinator_or_admin(user):
        return list(registrations)
    return [r for r in registrations if r.role == EventRegistration.Role.PRESENT]
