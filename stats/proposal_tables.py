"""Statistics of the proposal programme (協働事業提案制度), like Chigasaki's table of 意見交換会 → 申込 →
採択 per year: a city sees early when applications fall while exchange meetings go on.

A call counts in its fiscal year. 意見交換会 are the published exchange events linked to the year's
calls of that type; 申込 the proposals submitted (withdrawn ones included: they were applications);
採択 the adopted ones (条件付き採択 included).
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import fiscal_year_label
from events.models import ExchangeEvent
from proposals.models import Call, CallType, Proposal, RejectionReason
from proposals.services import TERM_END_STEPS

from .tables import NO_ANSWER, SHARE, TOTAL, Table, share, years

ADOPTED = [Proposal.Status.ADOPTED, Proposal.Status.CONDITIONAL]


def _calls(fy_from: int, fy_to: int):
    return Call.objects.filter(fiscal_year__gte=fy_from, fiscal_year__lte=fy_to)


def _proposals(fy_from: int, fy_to: int):
    return Proposal.objects.filter(call__fiscal_year__gte=fy_from, call__fiscal_year__lte=fy_to)


def _year_types(fy_from: int, fy_to: int) -> list[tuple[int, str]]:
    """Every fiscal year of the range for each call type that has a call in it (all types when none has)."""
    types = set(_calls(fy_from, fy_to).values_list("call_type", flat=True).distinct())
    ordered = [t for t in CallType.values if t in types] or [CallType.CITIZEN]
    return [(fy, t) for t in ordered for fy in years(fy_from, fy_to)]


def proposal_funnel(fy_from: int, fy_to: int) -> Table:
    events = defaultdict(int)
    for r in (
        Call.events.through.objects.filter(
            call__fiscal_year__gte=fy_from,
            call__fiscal_year__lte=fy_to,
            exchangeevent__kind=ExchangeEvent.Kind.EXCHANGE,
            exchangeevent__status=ExchangeEvent.Status.PUBLISHED,
        )
        .values("call__fiscal_year", "call__call_type")
        .annotate(n=Count("exchangeevent", distinct=True))
    ):
        events[r["call__fiscal_year"], r["call__call_type"]] = r["n"]
    counts = {
        (r["call__fiscal_year"], r["call__call_type"]): r
        for r in _proposals(fy_from, fy_to)
        .values("call__fiscal_year", "call__call_type")
        .annotate(
            applied=Count("id", filter=Q(submitted_at__isnull=False)),
            adopted=Count("id", filter=Q(status__in=ADOPTED)),
        )
    }
    rows, totals = [], [0, 0, 0]
    for fy, kind in _year_types(fy_from, fy_to):
        c = counts.get((fy, kind), {})
        values = [events[fy, kind], c.get("applied", 0), c.get("adopted", 0)]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append([fiscal_year_label(fy), CallType(kind).label, *values])
    rows.append([TOTAL, "", *totals])
    return Table(
        name="proposal-funnel",
        title=_("協働事業提案制度: 意見交換会・申込・採択（年度別）"),
        header=[_("年度"), _("種類"), _("意見交換会"), _("申込"), _("採択")],
        rows=rows,
        years_along="rows",
        chart_columns=[2, 3, 4],
        note=_(
            "公募の年度で数えます。意見交換会は公募に結び付けた開催済み（公開）の意見交換会、申込は提出された提案"
            "（後に取り下げたものを含む）、採択は条件付き採択を含みます。"
        ),
    )


def proposal_amounts(fy_from: int, fy_to: int) -> Table:
    caps = {
        (r["fiscal_year"], r["call_type"]): r["cap"]
        for r in _calls(fy_from, fy_to).values("fiscal_year", "call_type").annotate(cap=Sum("cap_total"))
    }
    sums = {
        (r["call__fiscal_year"], r["call__call_type"]): r
        for r in _proposals(fy_from, fy_to)
        .values("call__fiscal_year", "call__call_type")
        .annotate(
            requested=Sum("city_share_requested", filter=Q(submitted_at__isnull=False)),
            adopted=Sum("adopted_amount", filter=Q(status__in=ADOPTED)),
        )
    }
    rows, totals = [], [0, 0, 0]
    for fy, kind in _year_types(fy_from, fy_to):
        s = sums.get((fy, kind), {})
        values = [caps.get((fy, kind)) or 0, s.get("requested") or 0, s.get("adopted") or 0]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append([fiscal_year_label(fy), CallType(kind).label, *values, share(values[2], values[0])])
    rows.append([TOTAL, "", *totals, share(totals[2], totals[0])])
    return Table(
        name="proposal-amounts",
        title=_("協働事業提案制度: 予算額・要望額・採択額（年度別）"),
        header=[
            _("年度"),
            _("種類"),
            _("予算額（円）"),
            _("市負担額の要望（円）"),
            _("採択額（円）"),
            _("採択額 %(share)s") % {"share": SHARE},
        ],
        rows=rows,
        years_along="rows",
        chart_columns=[2, 3, 4],
        note=_(
            "予算額は公募全体の予算額の合計、要望は提出された提案の市負担額の要望、割合は予算額に対する採択額です。"
        ),
    )


def proposal_rejections(fy_from: int, fy_to: int) -> Table:
    counts = {
        r["rejection_category"]: r["n"]
        for r in _proposals(fy_from, fy_to)
        .filter(status=Proposal.Status.REJECTED)
        .values("rejection_category")
        .annotate(n=Count("id"))
    }
    n = sum(counts.values())
    rows = [[label, counts.get(code, 0), share(counts.get(code, 0), n)] for code, label in RejectionReason.choices]
    rows.append([TOTAL, n, share(n, n)])
    return Table(
        name="proposal-rejections",
        title=_("協働事業提案制度: 不採択の理由"),
        header=[_("理由"), _("件数"), SHARE],
        rows=rows,
        note=_("不採択となった提案を、記録された理由の区分で数えます。"),
    )


def proposal_continuation(fy_from: int, fy_to: int) -> Table:
    counts = {
        r["next_step"]: r["n"]
        for r in _proposals(fy_from, fy_to).filter(status__in=ADOPTED).values("next_step").annotate(n=Count("id"))
    }
    n = sum(counts.values())
    rows = [[step.label, counts.get(step, 0), share(counts.get(step, 0), n)] for step in TERM_END_STEPS]
    rows.append([NO_ANSWER, counts.get("", 0), share(counts.get("", 0), n)])
    continued = sum(counts.get(step, 0) for step in TERM_END_STEPS[:2])
    rows.append([_("継続（計）"), continued, share(continued, n)])
    rows.append([TOTAL, n, share(n, n)])
    return Table(
        name="proposal-continuation",
        title=_("協働事業提案制度: 採択事業の期間終了後"),
        header=[_("期間終了後の方向性"), _("件数"), SHARE],
        rows=rows,
        total_rows=2,
        note=_("採択された提案を、担当課が記録した期間終了後の方向性で数えます。無回答はまだ記録がないものです。"),
    )


TITLES = {
    "proposal-funnel": gettext_lazy("協働事業提案制度: 意見交換会・申込・採択（年度別）"),
    "proposal-amounts": gettext_lazy("協働事業提案制度: 予算額・要望額・採択額（年度別）"),
    "proposal-rejections": gettext_lazy("協働事業提案制度: 不採択の理由"),
    "proposal-continuation": gettext_lazy("協働事業提案制度: 採択事業の期間終了後"),
}

TABLES = {
    "proposal-funnel": proposal_funnel,
    "proposal-amounts": proposal_amounts,
    "proposal-rejections": proposal_rejections,
    "proposal-continuation": proposal_continuation,
}
