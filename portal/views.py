"""The site shell: the home and privacy pages, the 403 page, and the coordinators' audit-trail and
development-mail pages, which sit above every feature app."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.models import SecurityEvent
from accounts.roles import is_coordinator_or_admin
from accounts.security import log_event
from core.devmail import sent_mails
from core.history import object_history


def home(request):
    return render(request, "portal/home.html")


def privacy(request):
    return render(request, "portal/privacy.html", {"SECURITY_LOG_RETENTION_DAYS": settings.SECURITY_LOG_RETENTION_DAYS})


def dev_mail(request):
    """Development only: the e-mails the portal sent (core.devmail), for coordinators and admins."""
    if not settings.DEBUG:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_coordinator(request.user)
    return render(request, "portal/dev_mail.html", {"mails": sent_mails()})


def permission_denied(request, exception):
    """403: logged in the security log, then a Japanese page that says what to do (no internals)."""
    log_event(SecurityEvent.Kind.PERMISSION_DENIED, request=request, detail={"method": request.method})
    return render(request, "403.html", status=403)


def _require_coordinator(user):
    if not is_coordinator_or_admin(user):
        raise PermissionDenied


# --- audit trail -------------------------------------------------------------------------------


@login_required
def history(request, model_label, pk):
    """Any history-tracked object's change log, for coordinators and admins."""
    _require_coordinator(request.user)
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not hasattr(model, "history") or model._meta.app_label in {"auth", "admin", "sessions"}:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    return render(
        request,
        "portal/history_page.html",
        {"object": obj, "verbose_name": model._meta.verbose_name, "history": object_history(obj)},
    )
