import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.roles import coordinators, is_coordinator_or_admin, party_ids_of
from core.exceptions import ConflictError, TransitionError
from core.japanese import fiscal_year, fiscal_year_label
from core.locking import expected_version
from core.params import id_param, valid_ids
from events.models import EventRegistration, ExchangeEvent
from listings.models import Interest, Listing
from organizations.models import ActivityField, Party

from . import permissions, selectors, services
from .forms import (
    ActionItemFormSet,
    BoardFilterForm,
    FailForm,
    MatchProposeForm,
    MatchRequestForm,
    MeetingForm,
    MinutesForm,
    MoveForm,
    NoteForm,
    OutcomesForm,
    PartyPicker,
    RespondForm,
)
from .ics import meeting_ics
from .models import Match, Meeting
from .suggestions import cached_suggest_partners, suggest_partners
from .workflow import MATCH_STAGES, STAGE_MOVES

PARTY_RELATED = ("organization", "department__parent")


def _coordinator_required(request):
    if not is_coordinator_or_admin(request.user):
        raise PermissionDenied


def _visible_match(request, pk) -> Match:
    try:
        match = selectors.match_for_page(pk)
    except Match.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_match(request.user, match):
        raise Http404
    return match


def _own_parties(user):
    return Party.objects.filter(pk__in=party_ids_of(user)).select_related(*PARTY_RELATED)


# --- suggestions -------------------------------------------------------------------------------


@login_required
def suggestions(request, pk):
    _coordinator_required(request)
    listing = get_object_or_404(Listing.objects.with_related(), pk=pk)
    return render(
        request,
        "matching/suggestion_list.html",
        {"listing": listing, "suggestions": suggest_partners(listing, limit=20)},
    )


PANEL_LIMIT = 5


@login_required
def suggestion_panel(request, pk):
    """The listing page's suggestion panel, filled in by htmx after the page (cached ranking)."""
    _coordinator_required(request)
    listing = get_object_or_404(Listing.objects.with_related(), pk=pk)
    show = listing.status == Listing.Status.PUBLISHED
    suggestions = cached_suggest_partners(listing, limit=PANEL_LIMIT) if show else []
    context = {"listing": listing, "suggestions": suggestions, "show": show, "lazy": False}
    return render(request, "matching/includes/suggestion_panel.html", context)


@login_required
@require_POST
def suggestion_dismiss(request, pk, party_pk):
    _coordinator_required(request)
    listing = get_object_or_404(Listing, pk=pk)
    party = get_object_or_404(Party, pk=party_pk)
    services.suggestion_dismiss(listing=listing, party=party, actor=request.user)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("%(name)sを候補から除外しました。") % {"name": party.name})
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("matching:suggestions", pk=listing.pk)


# --- matches -----------------------------------------------------------------------------------


@login_required
def match_create(request):
    """Propose a match: from a suggestion (?listing=&party=), an interest (?interest=) or from scratch."""
    _coordinator_required(request)
    listing = interest = None
    initial_parties = []
    source = request.POST if request.method == "POST" else request.GET
    if source.get("interest"):
        interest = get_object_or_404(Interest.objects.select_related("listing"), pk=id_param(source["interest"]))
        listing = interest.listing
        initial_parties = [listing.owner_id, interest.from_party_id]
    elif source.get("listing"):
        listing = get_object_or_404(Listing, pk=id_param(source["listing"]))
        initial_parties = [listing.owner_id] + ([id_param(source["party"])] if source.get("party") else [])
    if request.method == "POST" and PartyPicker.search_button in request.POST:
        # The party search without JavaScript: show the results, keep everything typed and chosen.
        form = MatchProposeForm(initial=_initial_from(request.POST), search=_picker_search(request.POST, "parties"))
    elif request.method == "POST":
        form = MatchProposeForm(request.POST)
        if form.is_valid():
            try:
                match = services.match_propose(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    parties=list(form.cleaned_data["parties"]),
                    listings=[listing] if listing else [],
                    summary=form.cleaned_data["summary"],
                    origin_interest=interest,
                )
            except TransitionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("マッチングを提案しました。参加者に打診してください。"))
                return redirect(match)
    else:
        title = listing.title if listing else ""
        form = MatchProposeForm(initial={"title": title, "parties": initial_parties})
    return render(request, "matching/match_form.html", {"form": form, "listing": listing, "interest": interest})


def _initial_from(data) -> dict:
    return {key: data.getlist(key) if key in ("parties", "others") else data.get(key) for key in data}


def _picker_search(data, field: str) -> tuple[str, list]:
    """(query, parties found) for a PartyPicker field, leaving out the parties already chosen."""
    query = data.get(f"{field}_q", "")[:100]
    chosen = valid_ids(data.getlist(field))
    return query, selectors.party_search(query, exclude=chosen)


PICKER_FIELDS = ("parties", "others")


@login_required
@require_safe
def party_search(request):
    """htmx: the party picker's results as one types (matching.forms.PartyPicker)."""
    if not (is_coordinator_or_admin(request.user) or party_ids_of(request.user)):
        raise PermissionDenied
    field = request.GET.get("field", "")
    widget_id = request.GET.get("id", "")
    if field not in PICKER_FIELDS or not widget_id.replace("_", "").replace("-", "").isalnum():
        return HttpResponse(status=400)
    query, results = _picker_search(request.GET, field)
    return render(
        request,
        "matching/includes/party_results.html",
        {"name": field, "id": widget_id, "query": query, "results": results if query.strip() else None},
    )


@login_required
def match_request(request):
    if not permissions.can_request_match(request.user):
        raise PermissionDenied
    own = _own_parties(request.user)
    if request.method == "POST" and PartyPicker.search_button in request.POST:
        form = MatchRequestForm(
            initial=_initial_from(request.POST), own_parties=own, search=_picker_search(request.POST, "others")
        )
    elif request.method == "POST":
        form = MatchRequestForm(request.POST, own_parties=own)
    else:
        # ?with=<party id> (a department's 「この課に相談する」) names the party to talk to.
        with_party = request.GET.get("with", "")
        form = MatchRequestForm(own_parties=own, initial={"others": valid_ids([with_party])})
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            match = services.match_request(
                actor=request.user,
                party=form.cleaned_data["party"],
                other_parties=list(form.cleaned_data["others"]),
                message=form.cleaned_data["message"],
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("コーディネーターにマッチングを依頼しました。"))
            return redirect(match)
    return render(request, "matching/match_request.html", {"form": form})


@login_required
def match_list(request):
    """A participant's matches (a coordinator's: the ones they coordinate)."""
    user = request.user
    if is_coordinator_or_admin(user):
        qs = Match.objects.filter(Q(coordinator=user) | Q(participants__party_id__in=party_ids_of(user))).distinct()
    else:
        qs = permissions.matches_visible_to(user)
    matches = list(selectors.with_participants(qs.order_by("-last_event_at", "-id"))[:200])
    return render(request, "matching/match_list.html", {"matches": matches})


def _match_context(request, match, **extra):
    user = request.user
    is_coord = is_coordinator_or_admin(user)
    actions = MATCH_STAGES.allowed_actions(user, match)
    respondable = permissions.pending_participants(user, match) if "respond" in actions else []
    ctx = {
        "match": match,
        "is_coordinator": is_coord,
        "timeline": selectors.timeline(match, include_coordinator_notes=is_coord),
        "meetings": selectors.meetings_of(match),
        "show_contacts": permissions.can_view_contacts(user, match),
        "respond_forms": [(p, RespondForm(prefix=f"p{p.party_id}")) for p in respondable],
        "respondable": respondable,
        "actions": actions,
        "stage_moves": [(a, MATCH_STAGES[a].label) for a in STAGE_MOVES if a in actions and a != "fail"],
        "fail_form": FailForm(),
        "note_form": NoteForm(),
        "listings": list(match.listings.all()),
    }
    if ctx["show_contacts"]:
        ctx["contacts"] = selectors.contacts_of(match)
    ctx.update(extra)
    return ctx


@login_required
def match_detail(request, pk):
    match = _visible_match(request, pk)
    return render(request, "matching/match_detail.html", _match_context(request, match))


@login_required
@require_POST
def match_action(request, pk, action):
    """Every button of the match page: one checked service call, then back to the page."""
    match = _visible_match(request, pk)
    user = request.user

    # Stage changes say which version of the match the button was drawn on (400 when they do not).
    # Only coordinators may make them; the others get the service's refusal, not a 400.
    def posted_version():
        return expected_version(request.POST.get("version")) if is_coordinator_or_admin(user) else None

    try:
        if action == "send":
            services.match_send_to_participants(match=match, actor=user, version=posted_version())
            messages.success(request, _("参加者に承諾を依頼しました。"))
        elif action == "respond":
            party = get_object_or_404(Party, pk=id_param(request.POST.get("party")))
            form = RespondForm(request.POST, prefix=f"p{party.pk}")
            if not form.is_valid():
                messages.error(request, _("承諾するか辞退するかを選んでください。"))
                return redirect(match)
            services.match_respond(
                match=match,
                actor=user,
                party=party,
                accept=form.cleaned_data["accept"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("回答を送りました。"))
        elif action == "advance":
            services.match_advance(match=match, actor=user, version=posted_version())
            messages.success(request, _("「協議中」に進めました。"))
        elif action == "establish":
            services.match_establish(match=match, actor=user, version=posted_version())
            messages.success(request, _("マッチングが成立し、協働事業を作成しました。"))
        elif action == "fail":
            form = FailForm(request.POST)
            if not form.is_valid():
                if not is_coordinator_or_admin(user):
                    raise PermissionDenied
                return render(
                    request,
                    "matching/match_detail.html",
                    _match_context(request, match, fail_form=form),
                    status=400,
                )
            services.match_fail(match=match, actor=user, version=posted_version(), **form.cleaned_data)
            messages.success(request, _("不成立として記録しました。"))
        elif action == "hold":
            services.match_hold(match=match, actor=user, note=request.POST.get("note", ""), version=posted_version())
            messages.success(request, _("保留にしました。"))
        elif action == "resume":
            services.match_resume(match=match, actor=user, version=posted_version())
            messages.success(request, _("再開しました。"))
        elif action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                return render(
                    request, "matching/match_detail.html", _match_context(request, match, note_form=form), status=400
                )
            services.match_add_note(match=match, actor=user, **form.cleaned_data)
            messages.success(request, _("メモを追加しました。"))
        else:
            raise Http404
    except (TransitionError, ConflictError) as e:
        messages.error(request, str(e))
    return redirect(match)


# --- board -------------------------------------------------------------------------------------


def _move_options():
    """{stage: the <option>s of its cards' "move to" select}, built once per stage for all cards
    (a template loop per card was a fifth of the cards' rendering time)."""
    return {
        stage: format_html_join(
            "",
            '<option value="{}">{}</option>',
            [(services.MOVE_VALUES[a], MATCH_STAGES[a].label) for a in STAGE_MOVES if stage in MATCH_STAGES[a].sources],
        )
        for stage in Match.Stage
    }


@login_required
def board(request):
    """The coordinators' pipeline board: per stage the count and the first cards (the stalest open
    ones, the latest closed ones); `?stage=` lists one stage's matches page by page."""
    _coordinator_required(request)
    form = BoardFilterForm(request.GET)
    choices = form.department_choices()
    if request.htmx and request.htmx.target == "department-choices":
        # The type-ahead asks for the departments matching the typed name only.
        return render(request, "matching/includes/board_department_choices.html", {"choices": choices})
    this_fy = fiscal_year(timezone.localdate())
    ctx = {
        "form": form,
        "selected": form.cleaned_data,
        "choices": choices,
        "filter_query": urlencode(form.query()),
        "without_department": urlencode(form.query(without=("department", "department_q"))),
        "coordinators": coordinators(),
        "fields": ActivityField.objects.all(),
        "fiscal_years": [(y, fiscal_year_label(y)) for y in range(this_fy, this_fy - 6, -1)],
        "board_url": request.get_full_path(),
    }
    stage = request.GET.get("stage", "")
    if stage in selectors.BOARD_COLUMNS:
        ctx["stage"] = Match.Stage(stage)
        ctx["stage_query"] = urlencode({**form.query(), "stage": stage})
        ctx["page_obj"] = selectors.board_stage_page(
            stage, page=request.GET.get("page"), move_options=_move_options(), **form.selector_filters()
        )
        return render(request, "matching/board_stage.html", ctx)
    ctx["columns"] = selectors.board(move_options=_move_options(), **form.selector_filters())
    ctx["cards_per_column"] = selectors.BOARD_CARDS
    return render(request, "matching/board.html", ctx)


@login_required
@require_POST
def match_move(request, pk):
    """A card's plain form on the board: the same checked service functions as the match page."""
    _coordinator_required(request)
    match = get_object_or_404(Match, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid() and form.cleaned_data["to"] == Match.Stage.FAILED and not form.cleaned_data["reason"]:
        # A card has no room for the reason and note 不成立 needs: the match page asks for them.
        messages.info(request, _("不成立の理由と詳細を「不成立として記録する」に入力してください。"))
        url = f"{match.get_absolute_url()}#stage-heading"
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if form.is_valid():
        try:
            services.match_move(match=match, actor=request.user, **form.cleaned_data)
        except (TransitionError, ConflictError) as e:
            messages.error(request, f"{match.title}：{e}")
        else:
            match.refresh_from_db()
            messages.success(
                request,
                _("%(title)sを「%(stage)s」にしました。") % {"title": match.title, "stage": match.get_stage_display()},
            )
    else:
        messages.error(request, _("移動先の段階を選んでください。"))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "matching:board")


# --- meetings ----------------------------------------------------------------------------------


@login_required
def meeting_create(request, pk):
    match = _visible_match(request, pk)
    if not MATCH_STAGES.can(request.user, match, "schedule_meeting"):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(match=match, actor=request.user, **form.cleaned_data)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("打ち合わせを登録し、参加者に通知しました。"))
            return redirect(meeting)
    return render(request, "matching/meeting_form.html", {"form": form, "match": match})


def _visible_meeting(request, pk) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("match"), pk=pk)
    if not permissions.can_view_match(request.user, meeting.match):
        raise Http404
    return meeting


def _parties_of(match):
    return Party.objects.filter(match_participations__match=match).select_related(*PARTY_RELATED)


@login_required
def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    can_minutes = MATCH_STAGES.can(request.user, meeting.match, "record_minutes")
    parties = _parties_of(meeting.match)
    minutes_form = MinutesForm(initial={"version": meeting.version, "minutes": meeting.minutes})
    formset = ActionItemFormSet(prefix="items", parties_qs=parties)
    conflict = None
    if request.method == "POST":
        if not can_minutes:
            raise PermissionDenied
        minutes_form = MinutesForm(request.POST)
        formset = ActionItemFormSet(request.POST, prefix="items", parties_qs=parties)
        if minutes_form.is_valid() and formset.is_valid():
            items = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("description")]
            try:
                services.meeting_record_minutes(
                    meeting=meeting,
                    actor=request.user,
                    minutes=minutes_form.cleaned_data["minutes"],
                    action_items=items,
                    version=minutes_form.cleaned_data["version"],
                )
            except ConflictError as e:
                conflict = e.current
                minutes_form.add_error(None, str(e))
            except TransitionError as e:
                minutes_form.add_error(None, str(e))
            else:
                messages.success(request, _("議事録を記録しました。"))
                return redirect(meeting)
    items = meeting.action_items.select_related("owner__organization", "owner__department")
    return render(
        request,
        "matching/meeting_detail.html",
        {
            "meeting": meeting,
            "match": meeting.match,
            "action_items": items,
            "can_minutes": can_minutes and meeting.starts_at <= timezone.now(),
            "can_cancel": can_minutes and meeting.status == Meeting.Status.SCHEDULED,
            "minutes_form": minutes_form,
            "formset": formset,
            "conflict": conflict,
        },
    )


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _visible_meeting(request, pk)
    try:
        services.meeting_cancel(meeting=meeting, actor=request.user, reason=request.POST.get("reason", ""))
    except TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("打ち合わせを中止しました。"))
    return redirect(meeting)


@login_required
def meeting_ics_download(request, pk):
    meeting = _visible_meeting(request, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- exchange event outcomes ---------------------------------------------------------------


@login_required
def event_outcomes(request, pk):
    """After the event: tick the interests and matches that started there."""
    _coordinator_required(request)
    event = get_object_or_404(ExchangeEvent, pk=pk)
    parties = EventRegistration.objects.filter(event=event).values("party_id")
    since = event.starts_at - datetime.timedelta(days=1)
    interests_qs = (
        Interest.objects.filter(Q(from_party_id__in=parties) | Q(listing__owner_id__in=parties), created_at__gte=since)
        .select_related("listing", "from_party__organization", "from_party__department__parent")
        .distinct()
    )
    matches_qs = Match.objects.filter(participants__party_id__in=parties, created_at__gte=since).distinct()
    form = OutcomesForm(
        request.POST or None,
        interests_qs=interests_qs,
        matches_qs=matches_qs,
        initial={"interests": event.interests.all(), "matches": event.matches.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            n_i, n_m = services.event_record_outcomes(event=event, actor=request.user, **form.cleaned_data)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("相談 %(i)d 件、マッチング %(m)d 件を記録しました。") % {"i": n_i, "m": n_m})
            return redirect(event)
    return render(request, "matching/exchangeevent_outcomes.html", {"event": event, "form": form})
