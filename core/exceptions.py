"""Errors that services raise; views turn them into a message next to the form."""

from django.core.exceptions import PermissionDenied  # noqa: F401  (re-exported for services)


class TransitionError(Exception):
    """An illegal state change (e.g. 成立 before any pre-meeting); the message says why, in Japanese."""


class ConflictError(Exception):
    """Someone else saved the record since this user loaded it (optimistic locking)."""

    def __init__(self, message, *, current=None):
        super().__init__(message)
        self.current = current
