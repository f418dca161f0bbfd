"""Pages every deployment has, whatever the features: health, metrics, error pages, readings."""

import hmac
import re
import sys

from django import db
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.analyser import name_reading

READING_TARGET = re.compile(r"id_[\w-]{1,80}")


@never_cache
def healthz(request):
    """Liveness probe for the load balancer: no templates, no session."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: database reachable, migrations applied, cache reachable, a worker seen lately.

    200 when every check passes, else 503; the body names each check's state (no internals).
    """
    from core import health

    checks = health.readiness()
    status = 200 if all(state == "ok" or state == "not used" for state in checks.values()) else 503
    return JsonResponse(checks, status=status)


@never_cache
def metrics(request):
    """Prometheus metrics, only for a scraper presenting METRICS_TOKEN (404 for anyone else)."""
    from django.conf import settings

    from core.observability import metrics_text

    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(metrics_text(), content_type="text/plain; version=0.0.4")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 while the database is unreachable (Django calls this inside the except block).

    Neither page touches the database: no session, no user, no context processors.
    """
    from django.template.loader import render_to_string

    if isinstance(sys.exc_info()[1], db.OperationalError | db.InterfaceError):
        body = render_to_string("503.html", {"LANGUAGE_CODE": get_language()})
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    return render(request, "500.html", status=500)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def admin_login_redirect(request):
    """/admin/login/ → the portal's login (which asks for the second factor), then back to the admin."""
    if request.user.is_authenticated:
        # Logged in but not admin staff: refuse instead of looping through the login page.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/")


@require_http_methods(["GET"])
def reading_suggestion(request):
    """htmx: the analyser's よみがな for the name typed, offered under the reading field `for`."""
    target = request.GET.get("for", "")
    if not READING_TARGET.fullmatch(target):
        return HttpResponseBadRequest()
    text = next((v for k, v in request.GET.items() if k != "for"), "")[:200]
    reading = name_reading(text)
    return render(request, "core/includes/reading_suggestion.html", {"target": target, "reading": reading})
