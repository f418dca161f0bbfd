"""Helpers for the role × state × action tables: each workflow's test states, for every role and
state, which actions are allowed, and checks that the service, the page's buttons and a forged POST
all agree with that table (and with the workflow's own `allowed_actions`)."""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client

from core.exceptions import PermissionDenied, TransitionError


class _Rollback(Exception):
    pass


def service_allows(call) -> bool:
    """Whether a service call succeeds (its writes rolled back); False when it refuses with
    PermissionDenied or TransitionError (any other error is a failure of the test)."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, TransitionError):
        return False


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def actor(user):
    return user if user is not None else AnonymousUser()


def page_text(client, url) -> str:
    """The page's HTML, or "" when the user may not open it (403/404/redirect to login)."""
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""
