"""Exchange event pages: the public list and calendar, an event's page with its registration form,
and the coordinators' create, publish and call-off."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_coordinator_or_admin, party_ids_of
from core.exceptions import TransitionError
from core.params import month_param
from organizations.models import Party

from . import permissions, selectors, services
from .forms import EventCancelForm, EventForm, RegistrationForm
from .models import EventRegistration, ExchangeEvent
from .workflow import EXCHANGE_EVENT


def _coordinator_required(request):
    if not is_coordinator_or_admin(request.user):
        raise PermissionDenied


def _own_parties(user):
    return Party.objects.filter(pk__in=party_ids_of(user)).select_related("organization", "department__parent")


def event_list(request):
    today = timezone.localdate()
    first = month_param(request.GET.get("month"), default=today)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    events = selectors.events_public()
    in_month = [
        e for e in events.filter(starts_at__date__gte=first, starts_at__date__lt=next_month).order_by("starts_at")
    ]
    upcoming = list(events.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:20])
    drafts = (
        list(ExchangeEvent.objects.filter(status=ExchangeEvent.Status.DRAFT).order_by("starts_at"))
        if is_coordinator_or_admin(request.user)
        else []
    )
    return render(
        request,
        "events/exchangeevent_list.html",
        {
            "upcoming": upcoming,
            "drafts": drafts,
            "weeks": selectors.month_calendar(first.year, first.month, in_month),
            "month": first,
            "prev_month": prev_month,
            "next_month": next_month,
            "weekdays": [WEEKDAYS_ABBR[d] for d in (6, 0, 1, 2, 3, 4, 5)],  # the calendar starts on Sunday
            "can_create": is_coordinator_or_admin(request.user),
        },
    )


def event_detail(request, pk):
    event = get_object_or_404(ExchangeEvent.objects.prefetch_related("activity_fields"), pk=pk)
    if not permissions.can_view_event(request.user, event):
        raise Http404
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    registrations = selectors.registrations_of(event)
    form = _registration_form(request.user, event, registrations, request.POST or None)
    if request.method == "POST" and form is None:
        # A page from before the event closed or was called off, or every party of the user has registered.
        if EXCHANGE_EVENT.can(request.user, event, "register"):
            messages.error(request, _("申し込める団体・担当課はすべて申込済みです。"))
        else:
            messages.error(request, _("この交流の場は申込を受け付けていません。"))
        return redirect(event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_register(event=event, actor=request.user, **form.cleaned_data)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("申し込みました。"))
            return redirect(event)
    return _event_page(request, event, registrations, form)


def _registration_form(user, event, registrations, data=None):
    """The form to register one of the user's parties, while the event takes registrations."""
    if not EXCHANGE_EVENT.can(user, event, "register"):
        return None
    own = _own_parties(user) if user.is_authenticated else Party.objects.none()
    own_open = own.exclude(pk__in={r.party_id for r in registrations})
    open_ids = list(own_open.values_list("pk", flat=True))
    if not open_ids:
        return None
    # One party to register: it is chosen already.
    return RegistrationForm(data, own_parties=own_open, preselect=open_ids[0] if len(open_ids) == 1 else None)


def _event_page(request, event, registrations, form, cancel_form=None):
    is_coord = is_coordinator_or_admin(request.user)
    actions = EXCHANGE_EVENT.allowed_actions(request.user, event)
    remaining = None if event.capacity is None else max(0, event.capacity - len(registrations))
    return render(
        request,
        "events/exchangeevent_detail.html",
        {
            "event": event,
            "registrations": permissions.registrations_shown_to(request.user, registrations),
            "my_registrations": [r for r in registrations if r.party_id in party_ids_of(request.user)],
            "n_registrations": len(registrations),
            "remaining": remaining,
            "form": form,
            "actions": actions,
            "open_actions": EXCHANGE_EVENT.open_actions(event),
            "cancel_form": (cancel_form or EventCancelForm()) if is_coord else None,
            "is_coordinator": is_coord,
            "interests": event.interests.select_related("listing", "from_party__organization", "from_party__department")
            if is_coord
            else [],
            "matches": event.matches.all() if is_coord else [],
        },
    )


@login_required
@require_POST
def event_unregister(request, pk, reg_pk):
    registration = get_object_or_404(EventRegistration, pk=reg_pk, event_id=pk)
    services.event_cancel_registration(registration=registration, actor=request.user)
    messages.success(request, _("申込を取り消しました。"))
    return redirect("events:event_detail", pk=pk)


@login_required
def event_create(request):
    _coordinator_required(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = services.event_create(
                actor=request.user, activity_fields=data.pop("activity_fields"), publish=data.pop("publish"), **data
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("交流の場を作成しました。"))
            return redirect(event)
    return render(request, "events/exchangeevent_form.html", {"form": form})


@login_required
@require_POST
def event_publish(request, pk):
    _coordinator_required(request)
    event = get_object_or_404(ExchangeEvent, pk=pk)
    try:
        services.event_publish(event=event, actor=request.user)
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect(event)


@login_required
@require_POST
def event_cancel(request, pk):
    _coordinator_required(request)
    event = get_object_or_404(ExchangeEvent.objects.prefetch_related("activity_fields"), pk=pk)
    cancel_form = EventCancelForm(request.POST)
    if not cancel_form.is_valid():
        # The reason is missing: the page again, the error next to the field.
        registrations = selectors.registrations_of(event)
        form = _registration_form(request.user, event, registrations)
        return _event_page(request, event, registrations, form, cancel_form=cancel_form)
    try:
        services.event_cancel(event=event, actor=request.user, reason=cancel_form.cleaned_data["reason"])
    except TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("交流の場を中止にし、申込のあった団体・担当課に知らせました。"))
    return redirect(event)
