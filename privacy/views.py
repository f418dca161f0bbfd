"""A group's own data (APPI): the representative downloads it and asks for correction or deletion;
coordinators handle the requests."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import SecurityEvent
from accounts.security import log_event
from core.exceptions import TransitionError
from core.spreadsheets import csv_text
from organizations.models import Organization

from . import services
from .exports import organization_data, organization_rows
from .forms import DataRequestForm, DataRequestResolveForm
from .models import DataRequest


def _organization(pk):
    return get_object_or_404(Organization, pk=pk)


@login_required
def group_data(request, pk):
    """The representative's page: download everything, ask for correction or deletion."""
    organization = _organization(pk)
    if not services.can_request_data(request.user, organization):
        raise PermissionDenied
    return render(
        request,
        "privacy/group_data.html",
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
        return redirect("privacy:group_data", pk=organization.pk)
    return render(request, "privacy/datarequest_form.html", {"organization": organization, "form": form})


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
        "privacy/datarequest_list.html",
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
            return redirect("privacy:data_request_list")
    return render(request, "privacy/datarequest_detail.html", {"data_request": data_request, "form": form})
