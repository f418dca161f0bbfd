import hmac
import json
import re
import sys

from django import db
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import services
from core.analyser import name_reading
from core.devmail import sent_mails
from core.exceptions import TransitionError
from core.exports import organization_data, organization_rows
from core.forms import ConfirmForm, DataRequestForm, DataRequestResolveForm
from core.history import can_view_history, object_history
from core.models import DataRequest, SecurityEvent
from core.security import log_event
from core.spreadsheets import csv_text

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


def home(request):
    return render(request, "core/home.html")


def privacy(request):
    return render(request, "core/privacy.html", {"SECURITY_LOG_RETENTION_DAYS": settings.SECURITY_LOG_RETENTION_DAYS})


def dev_mail(request):
    """Development only: the e-mails the portal sent (core.devmail), for coordinators and admins."""
    if not settings.DEBUG:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_coordinator(request.user)
    return render(request, "core/dev_mail.html", {"mails": sent_mails()})


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


def permission_denied(request, exception):
    """403: logged in the security log, then a Japanese page that says what to do (no internals)."""
    log_event(SecurityEvent.Kind.PERMISSION_DENIED, request=request, detail={"method": request.method})
    return render(request, "403.html", status=403)


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


def _require_coordinator(user):
    if not can_view_history(user):
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
        "core/history_page.html",
        {"object": obj, "verbose_name": model._meta.verbose_name, "history": object_history(obj)},
    )


# --- a group's own data (APPI) -----------------------------------------------------------------


def _organization(pk):
    from organizations.models import Organization

    return get_object_or_404(Organization, pk=pk)


@login_required
def group_data(request, pk):
    """The representative's page: download everything, ask for correction or deletion."""
    organization = _organization(pk)
    if not services.can_request_data(request.user, organization):
        raise PermissionDenied
    return render(
        request,
        "core/group_data.html",
        {"organization": organization, "requests": organization.data_requests.select_related("resolved_by")},
    )


@login_required
def group_data_export(request, pk, fmt):
    organization = _organization(pk)
    if not services.can_export_group_data(request.user, organization):
        raise PermissionDenied
    log_event(SecurityEvent.Kind.DATA_EXPORT, request=request, obj=organization, detail={"format": fmt})
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        body = json.dumps(organization_data(organization), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = csv_text(["区分", "ID", "項目", "値"], organization_rows(organization))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="group-{organization.pk}-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def data_request_create(request, pk):
    organization = _organization(pk)
    if not services.can_request_data(request.user, organization):
        raise PermissionDenied
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.data_request_create(
            actor=request.user,
            organization=organization,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("申出を受け付けました。コーディネーターが対応し、結果をお知らせします。"))
        return redirect("core:group_data", pk=organization.pk)
    return render(request, "core/datarequest_form.html", {"organization": organization, "form": form})


@login_required
def data_request_list(request):
    if not services.can_handle_data_requests(request.user):
        raise PermissionDenied
    status = request.GET.get("status", DataRequest.Status.OPEN)
    qs = DataRequest.objects.select_related("organization", "requested_by", "resolved_by")
    if status in DataRequest.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/datarequest_list.html",
        {"page": page, "status": status, "statuses": DataRequest.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_request_detail(request, pk):
    if not services.can_handle_data_requests(request.user):
        raise PermissionDenied
    data_request = get_object_or_404(DataRequest.objects.select_related("organization", "requested_by"), pk=pk)
    form = DataRequestResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.data_request_resolve(actor=request.user, data_request=data_request, **form.cleaned_data)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("申出への対応を記録しました。"))
            return redirect("core:data_request_list")
    return render(request, "core/datarequest_detail.html", {"data_request": data_request, "form": form})


# --- departed users ----------------------------------------------------------------------------


@login_required
def user_list(request):
    """Coordinators find a user to deactivate or anonymise."""
    _require_coordinator(request.user)
    qs = get_user_model().objects.order_by("family_name_kana", "given_name_kana", "email")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(email__icontains=q) | Q(family_name__icontains=q) | Q(given_name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_event(SecurityEvent.Kind.PERSONAL_DATA_VIEW, request=request, detail={"list": "users", "q": q[:100]})
    return render(request, "core/user_list.html", {"page": page, "q": q})


# Lazy: the page's language is known only when a request shows them.
USER_ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        pgettext_lazy("page title", "利用者の停止"),
        gettext_lazy("ログインできなくなり、すべてのセッションが終了します。"),
    ),
    "anonymize": (
        services.user_anonymize,
        pgettext_lazy("page title", "利用者の匿名化"),
        gettext_lazy(
            "氏名・メールアドレス・電話番号を消去し、ログインできなくします。記録の作成者欄は「退会済み 利用者」と表示されます。"
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def user_action(request, pk, action):
    _require_coordinator(request.user)
    service, title, explanation = USER_ACTIONS[action]
    target = get_object_or_404(get_user_model(), pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, user=target, request=request)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(title)sを行いました。") % {"title": title})
            return redirect("core:user_list")
    return render(
        request,
        "core/user_confirm.html",
        {"target": target, "form": form, "title": title, "explanation": explanation, "action": action},
    )
