"""Reads shared by the programme's pages: a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Sum
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, localtime, make_aware
from django.utils.translation import gettext as _

from accounts.roles import is_coordinator_or_admin, party_ids_of
from events.models import ExchangeEvent

from . import permissions, workflow
from .models import Call, Proposal, Review

PS = Proposal.Status
PARTY = ("applicant__organization", "applicant__department")
SUBMITTED_STATES = [PS.SUBMITTED, PS.REVIEWING, PS.ADOPTED, PS.CONDITIONAL, PS.REJECTED]


def call_page(user, call: Call) -> dict:
    """The public call page: schedule, themes, criteria, its events; the user's own proposals; the
    proposals for coordinators; the adopted ones once results are published."""
    themes = list(call.themes.select_related("listing__owner__department").order_by("listing__title"))
    criteria = list(call.criteria.all())
    events = list(call.events.exclude(status=ExchangeEvent.Status.DRAFT).order_by("starts_at"))
    parties = party_ids_of(user)
    proposals = call.proposals.select_related(*PARTY, "department")
    mine = list(proposals.filter(applicant_id__in=parties)) if parties else []
    everyone = list(proposals.filter(status__in=SUBMITTED_STATES)) if is_coordinator_or_admin(user) else []
    adopted = []
    if call.status == Call.Status.DECIDED:
        adopted = list(proposals.filter(status__in=[PS.ADOPTED, PS.CONDITIONAL]))
    accepting_reason = workflow.accepting(call)
    can_apply = not accepting_reason and bool(permissions.eligible_party_ids(user, call))
    return {
        "call": call,
        "themes": themes,
        "criteria": criteria,
        "events": events,
        "mine": mine,
        "proposals": everyone,
        "adopted": adopted,
        "accepting_reason": accepting_reason,
        "can_apply": can_apply,
        "groups_only_refused": bool(parties) and not can_apply and not accepting_reason,
        "can_view_scores": permissions.can_view_scores(user, call),
    }


@dataclass
class SummaryRow:
    proposal: Proposal
    cells: list = field(default_factory=list)  # per reviewer: Review or None
    average: float | None = None
    comments: list = field(default_factory=list)
    order_value: str = ""  # the schedule inputs, as stored or as posted
    at_value: str = ""

    @property
    def schedulable(self) -> bool:
        return self.proposal.status in (PS.SUBMITTED, PS.REVIEWING)


def weighted_total(review: Review, weights: dict[int, int]) -> int:
    return sum(s.value * weights[s.criterion_id] for s in review.scores.all())


def summary_sheet(call: Call) -> dict:
    """Each submitted proposal with each reviewer's weighted score (a declared conflict shows as such
    and is left out of the average), the comments, and the presentation schedule."""
    criteria = list(call.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    reviewers = list(call.reviewers.order_by("family_name_kana", "given_name_kana", "email"))
    proposals = (
        call.proposals.filter(status__in=SUBMITTED_STATES)
        .select_related(*PARTY, "department")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.prefetch_related("scores")))
        .order_by("presentation_order", "id")
    )
    rows = []
    for p in proposals:
        by_reviewer = {r.reviewer_id: r for r in p.reviews.all()}
        row = SummaryRow(proposal=p)
        row.order_value = "" if p.presentation_order is None else str(p.presentation_order)
        row.at_value = localtime(p.presentation_at).strftime("%Y-%m-%dT%H:%M") if p.presentation_at else ""
        totals = []
        for reviewer in reviewers:
            review = by_reviewer.get(reviewer.pk)
            if review is not None and not review.conflict:
                review.total = weighted_total(review, weights)
                if review.scores.all():
                    totals.append(review.total)
                if review.comment:
                    row.comments.append((reviewer, review.comment))
            row.cells.append(review)
        row.average = round(sum(totals) / len(totals), 1) if totals else None
        rows.append(row)
    adopted = call.proposals.filter(status__in=[PS.ADOPTED, PS.CONDITIONAL]).aggregate(s=Sum("adopted_amount"))["s"]
    return {
        "criteria": criteria,
        "max_total": 5 * sum(weights.values()),
        "reviewers": reviewers,
        "rows": rows,
        "adopted_total": adopted or 0,
    }


def parse_schedule(post, rows) -> tuple[dict, list[str]]:
    """{proposal pk: (order, datetime)} from the summary page's schedule inputs, with error messages."""
    slots, errors = {}, []
    for row in rows:
        p = row.proposal
        if not row.schedulable:
            continue
        order_text = post.get(f"order-{p.pk}", "").strip()
        at_text = post.get(f"at-{p.pk}", "").strip()
        row.order_value, row.at_value = order_text[:10], at_text[:32]
        order = None
        if order_text:
            if not order_text.isdigit() or int(order_text) < 1:
                errors.append(_("「%(t)s」の発表順は1以上の整数にしてください。") % {"t": p.title})
                continue
            order = int(order_text)
        at = None
        if at_text:
            try:
                at = parse_datetime(at_text) if len(at_text) <= 32 else None
            except ValueError:  # well-formed but impossible, e.g. month 13
                at = None
            if at is None:
                errors.append(_("「%(t)s」の発表時刻が正しくありません。") % {"t": p.title})
                continue
            if is_naive(at):
                at = make_aware(at, get_current_timezone())
        slots[p.pk] = (order, at)
    return slots, errors


def my_proposals(user) -> dict:
    parties = party_ids_of(user)
    base = Proposal.objects.select_related("call", *PARTY, "department", "project").order_by(
        "-call__fiscal_year", "-id"
    )
    mine = list(base.filter(applicant_id__in=parties)) if parties else []
    department = (
        list(base.filter(department_id__in=user.department_ids).exclude(status=PS.DRAFT)) if user.department_ids else []
    )
    call_ids = permissions.reviewed_call_ids(user)
    to_review = []
    if call_ids:
        to_review = list(
            base.filter(call_id__in=call_ids, status=PS.REVIEWING).prefetch_related(
                Prefetch("reviews", queryset=Review.objects.filter(reviewer=user), to_attr="my_reviews")
            )
        )
    return {"mine": mine, "department": department, "to_review": to_review}


def project_origin_section(request, project) -> str:
    """The project page's section on where the project came from: the call, the year of the term and
    the adopted amounts of each adopted proposal (never scores), linked for those who may read them."""
    user = request.user
    adopted = list(
        Proposal.objects.filter(project=project, status__in=[PS.ADOPTED, PS.CONDITIONAL])
        .select_related("call", "department")
        .order_by("call__fiscal_year", "term_year", "id")
    )
    if not adopted:
        return ""
    rows = [
        {
            "proposal": p,
            "call_link": permissions.can_view_call(user, p.call),
            "proposal_link": permissions.can_view_proposal(user, p),
        }
        for p in adopted
    ]
    return render_to_string("proposals/includes/project_origin.html", {"rows": rows}, request=request)
