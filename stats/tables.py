"""The statistics the city reports (DOMAIN.md, "The figures the city reports"), one function per table.

Every table is aggregated in the database (values/annotate/Count): a fixed number of queries per
table whatever the number of projects. A project counts in its `fiscal_year_start`; imported past
records (`is_imported`) count like projects made in the portal.

Shares are percentages rounded half-up to one decimal, as the papers print them. Where a project
may carry several forms (forms-by-year, form-share, origin-by-form) the papers' rule for multiple
answers applies: a project counts once per form and the share is taken over the number of projects,
so the shares may add up to more than 100.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from core.japanese import fiscal_year_label, fiscal_year_range
from events.models import ExchangeEvent
from listings.models import Interest, Listing
from matching.models import Match, Meeting
from organizations.models import ActivityField, CollaborationForm, Department, Organization, Party
from projects.models import CollaborationProject, NextStep, Origin, Outcome, ProjectParticipant

SHARE = gettext_lazy("割合(%)")
NO_ANSWER = gettext_lazy("無回答")
TOTAL = gettext_lazy("合計")


def share(count: int, total: int) -> Decimal:
    """count / total as a percentage with one decimal, rounded half-up (0.0 when total is 0)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Table:
    """One statistics table: the CSV header and rows, and how the page shows and charts them."""

    name: str
    title: str
    header: list[str]
    rows: list[list]
    note: str = ""
    # Shorter labels for the chart (the activity fields' short names).
    chart_labels: dict[str, str] = field(default_factory=dict)
    chart_columns: list[int] = field(default_factory=lambda: [1])
    total_rows: int = 1  # trailing rows that are totals: in the table, not in the chart
    # By-year tables: the years run along the rows ("rows") or the columns ("columns"); they get a
    # line chart, since the trend is the point.
    years_along: str = ""

    def sheet(self, fy_from: int, fy_to: int) -> tuple:
        """The table as an xlsx sheet: named after its title, headed by the title, the period and the note."""
        period = _("期間：%(first)s〜%(last)s") % {
            "first": fiscal_year_label(fy_from),
            "last": fiscal_year_label(fy_to),
        }
        heading = [str(self.title), period, *([str(self.note)] if self.note else [])]
        return (str(TITLES.get(self.name, self.title)), self.header, self.rows, self.share_columns, heading)

    @property
    def share_columns(self) -> list[int]:
        return [i for i, h in enumerate(self.header) if str(h).endswith(str(SHARE))]

    @property
    def body_rows(self) -> list[list]:
        return self.rows[: len(self.rows) - self.total_rows] if self.total_rows else self.rows

    @property
    def footer_rows(self) -> list[list]:
        return self.rows[len(self.rows) - self.total_rows :] if self.total_rows else []


def years(fy_from: int, fy_to: int) -> list[int]:
    return list(range(fy_from, fy_to + 1))


def projects_in(fy_from: int, fy_to: int):
    return CollaborationProject.objects.filter(fiscal_year_start__gte=fy_from, fiscal_year_start__lte=fy_to)


def _form_links(fy_from: int, fy_to: int):
    """Rows of the project ↔ form table for projects of the range."""
    return CollaborationProject.forms.through.objects.filter(
        collaborationproject__fiscal_year_start__gte=fy_from, collaborationproject__fiscal_year_start__lte=fy_to
    )


def forms_by_year(fy_from: int, fy_to: int) -> Table:
    fys = years(fy_from, fy_to)
    counts = defaultdict(int)
    for r in (
        _form_links(fy_from, fy_to)
        .values("collaborationform_id", "collaborationproject__fiscal_year_start")
        .annotate(n=Count("id"))
    ):
        counts[r["collaborationform_id"], r["collaborationproject__fiscal_year_start"]] = r["n"]
    projects = projects_in(fy_from, fy_to)
    no_form = {
        r["fiscal_year_start"]: r["n"]
        for r in projects.filter(forms__isnull=True).values("fiscal_year_start").annotate(n=Count("id"))
    }
    totals = {r["fiscal_year_start"]: r["n"] for r in projects.values("fiscal_year_start").annotate(n=Count("id"))}
    rows = []
    for form in CollaborationForm.objects.order_by("order", "id"):
        values = [counts[form.id, fy] for fy in fys]
        rows.append([gettext(form.name), *values, sum(values)])
    if any(no_form.values()):
        values = [no_form.get(fy, 0) for fy in fys]
        rows.append([NO_ANSWER, *values, sum(values)])
    values = [totals.get(fy, 0) for fy in fys]
    rows.append([_("合計（事業数）"), *values, sum(values)])
    return Table(
        name="forms-by-year",
        title=_("協働の形態別・年度別の事業数"),
        header=[_("協働の形態"), *(fiscal_year_label(fy) for fy in fys), TOTAL],
        rows=rows,
        chart_columns=list(range(1, len(fys) + 1)),
        years_along="columns",
        note=_("複数の形態をもつ事業は形態ごとに数えています。合計（事業数）は事業の実数です。"),
    )


def form_share(fy_from: int, fy_to: int) -> Table:
    counts = {
        r["collaborationform_id"]: r["n"]
        for r in _form_links(fy_from, fy_to).values("collaborationform_id").annotate(n=Count("id"))
    }
    projects = projects_in(fy_from, fy_to)
    agg = projects.aggregate(n=Count("id"), no_form=Count("id", filter=Q(forms__isnull=True)))
    n = agg["n"]
    rows = [
        [gettext(form.name), counts.get(form.id, 0), share(counts.get(form.id, 0), n)]
        for form in CollaborationForm.objects.order_by("order", "id")
    ]
    if agg["no_form"]:
        rows.append([NO_ANSWER, agg["no_form"], share(agg["no_form"], n)])
    rows.append([TOTAL, n, share(n, n)])
    return Table(
        name="form-share",
        title=_("協働の形態別の事業数と割合"),
        header=[_("協働の形態"), _("件数"), SHARE],
        rows=rows,
        note=_("割合は事業数に対する割合です（複数の形態をもつ事業は形態ごとに数えます）。"),
    )


def partner_kind_share(fy_from: int, fy_to: int) -> Table:
    counts = {
        r["party__organization__kind"]: r["n"]
        for r in ProjectParticipant.objects.filter(
            project__fiscal_year_start__gte=fy_from,
            project__fiscal_year_start__lte=fy_to,
            party__kind=Party.Kind.ORGANIZATION,
        )
        .values("party__organization__kind")
        .annotate(n=Count("id"))
    }
    total = sum(counts.values())
    rows = [
        [label, counts.get(kind, 0), share(counts.get(kind, 0), total)] for kind, label in Organization.Kind.choices
    ]
    rows.append([TOTAL, total, share(total, total)])
    return Table(
        name="partner-kind-share",
        title=_("協働の相手（団体の種別）"),
        header=[_("団体の種別"), _("件数"), SHARE],
        rows=rows,
        note=_("協働の相手の団体ごとに数えます（相手が2団体の事業は2件）。"),
    )


ORIGIN_COLUMNS = [
    (Origin.CITY, gettext_lazy("市")),
    (Origin.GROUP, gettext_lazy("団体")),
    (Origin.BOTH, gettext_lazy("双方")),
    (Origin.OTHER, gettext_lazy("その他")),
    ("", NO_ANSWER),
]


def _origin_row(label: str, by_origin: dict[str, int]) -> list:
    counts = [by_origin.get(code, 0) for code, _label in ORIGIN_COLUMNS]
    n = sum(counts)
    return [label, n, *counts, *(share(c, n) for c in counts)]


def origin_by_form(fy_from: int, fy_to: int) -> Table:
    by_form = defaultdict(dict)
    for r in (
        _form_links(fy_from, fy_to)
        .values("collaborationform_id", "collaborationproject__origin")
        .annotate(n=Count("id"))
    ):
        by_form[r["collaborationform_id"]][r["collaborationproject__origin"]] = r["n"]
    overall = {r["origin"]: r["n"] for r in projects_in(fy_from, fy_to).values("origin").annotate(n=Count("id"))}
    rows = [
        _origin_row(gettext(form.name), by_form[form.id]) for form in CollaborationForm.objects.order_by("order", "id")
    ]
    rows.append(_origin_row(TOTAL, overall))
    labels = [label for _code, label in ORIGIN_COLUMNS]
    return Table(
        name="origin-by-form",
        title=_("協働の形態別の発案者"),
        header=[_("協働の形態"), _("件数"), *labels, *(f"{label} {SHARE}" for label in labels)],
        rows=rows,
        chart_columns=list(range(2, 2 + len(labels))),
        note=_("割合は各形態の事業数に対する割合です。合計は事業の実数です。"),
    )


def outcome_share(fy_from: int, fy_to: int) -> Table:
    counts = {r["outcome"]: r["n"] for r in projects_in(fy_from, fy_to).values("outcome").annotate(n=Count("id"))}
    n = sum(counts.values())
    rows = [[label, counts.get(code, 0), share(counts.get(code, 0), n)] for code, label in Outcome.choices]
    rows.append([NO_ANSWER, counts.get("", 0), share(counts.get("", 0), n)])
    rows.append([TOTAL, n, share(n, n)])
    return Table(
        name="outcome-share",
        title=_("協働事業の成果"),
        header=[_("成果"), _("件数"), SHARE],
        rows=rows,
    )


def departments(fy_from: int, fy_to: int) -> Table:
    counts = (
        projects_in(fy_from, fy_to)
        .values("department_id", "department__name", "department__parent__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__order", "department__name_kana", "department_id")
    )
    n = sum(r["n"] for r in counts)
    rows = [
        [r["department__name"] or _("担当課未設定"), r["department__parent__name"] or "", r["n"], share(r["n"], n)]
        for r in counts
    ]
    rows.append([TOTAL, "", n, share(n, n)])
    return Table(
        name="departments",
        title=_("担当課別の事業数"),
        header=[_("担当課"), _("部"), _("件数"), SHARE],
        rows=rows,
        chart_columns=[2],
        note=_("事業数の多い順です。"),
    )


PARTICIPATION_GROUPS = [
    ((True, True), gettext_lazy("① 最新年度に協働しており、それ以前にも協働している課")),
    ((True, False), gettext_lazy("② 最新年度のみ協働している課")),
    ((False, True), gettext_lazy("③ 過去に協働していたが、最新年度は協働していない課")),
    ((False, False), gettext_lazy("④ 一度も協働していない課")),
]


def _active(fy_first: int, fy_last: int):
    """Projects of a department (OuterRef) running in some fiscal year between fy_first and fy_last.

    A project runs from fiscal_year_start to fiscal_year_end (to its start year when no end is set).
    """
    return (
        CollaborationProject.objects.filter(department=OuterRef("pk"), fiscal_year_start__lte=fy_last)
        .annotate(last_fy=Coalesce(F("fiscal_year_end"), F("fiscal_year_start")))
        .filter(last_fy__gte=fy_first)
    )


def department_participation(fy_from: int, fy_to: int) -> Table:
    """The Musashino survey's four groups of 課 (every department under a 部), for the latest year fy_to.

    "Before" means the fiscal years fy_from … fy_to - 1 of the chosen range.
    """
    sections = Department.objects.filter(parent__isnull=False).annotate(
        latest=Exists(_active(fy_to, fy_to)), past=Exists(_active(fy_from, fy_to - 1))
    )
    counts = {(r["latest"], r["past"]): r["n"] for r in sections.values("latest", "past").annotate(n=Count("id"))}
    names = defaultdict(list)
    for name, latest, past in sections.order_by("parent__order", "order", "name_kana").values_list(
        "name", "latest", "past"
    ):
        names[bool(latest), bool(past)].append(name)
    total = sum(counts.values())
    rows = [
        [
            label,
            counts.get(key, 0),
            share(counts.get(key, 0), total),
            pgettext("list of departments", "／").join(names[key]),
        ]
        for key, label in PARTICIPATION_GROUPS
    ]
    rows.append([TOTAL, total, share(total, total), ""])
    return Table(
        name="department-participation",
        title=_("協働の実績による課の分類"),
        header=[_("区分"), _("課の数"), SHARE, _("該当する課")],
        rows=rows,
        note=_("最新年度は範囲の終わりの年度、過去は範囲のそれ以前の年度です。"),
    )


CONTINUED = [NextStep.DEPARTMENT, NextStep.GROUP, NextStep.OTHER_FORM, NextStep.REDUCED]


def continuation(fy_from: int, fy_to: int) -> Table:
    """Completed projects (完了 or アフターフォロー) by how they went on; 縮小 counts as continued."""
    done = projects_in(fy_from, fy_to).filter(
        status__in=[CollaborationProject.Status.COMPLETED, CollaborationProject.Status.FOLLOW_UP]
    )
    counts = {r["continuation"]: r["n"] for r in done.values("continuation").annotate(n=Count("id"))}
    n = sum(counts.values())
    rows = [[label, counts.get(code, 0), share(counts.get(code, 0), n)] for code, label in NextStep.choices]
    if counts.get(""):
        rows.append([NO_ANSWER, counts[""], share(counts[""], n)])
    continued = sum(counts.get(code, 0) for code in CONTINUED)
    rows.append([_("継続（計）"), continued, share(continued, n)])
    rows.append([TOTAL, n, share(n, n)])
    return Table(
        name="continuation",
        title=_("完了した事業のその後（継続・終了）"),
        header=[_("継続の状況"), _("件数"), SHARE],
        rows=rows,
        total_rows=2,
        note=_("完了・アフターフォロー中の事業が対象です。継続（計）は縮小して継続したものを含みます。"),
    )


def _year_counts(date_field: str, fys: list[int], count: str = "id", distinct: bool = False) -> dict:
    """A filtered Count per fiscal year (keys y2021 …), to aggregate or annotate in one query."""
    aggregates = {}
    for fy in fys:
        first, last = fiscal_year_range(fy)
        aggregates[f"y{fy}"] = Count(
            count, distinct=distinct, filter=Q(**{f"{date_field}__date__gte": first, f"{date_field}__date__lte": last})
        )
    return aggregates


def _per_year(qs, date_field: str, fys: list[int], count: str = "id", distinct: bool = False) -> dict[int, int]:
    """Counts per fiscal year in ONE query: a filtered Count per year."""
    result = qs.aggregate(**_year_counts(date_field, fys, count, distinct))
    return {fy: result[f"y{fy}"] for fy in fys}


# The stages a match may reach after it is proposed, in order; a match counts in every stage up to the
# furthest it reached, so the columns nest (成立 ≤ 事前打ち合わせ ≤ マッチング).
PAST_PRE_MEETING = [Match.Stage.PRE_MEETING, Match.Stage.NEGOTIATING, Match.Stage.ESTABLISHED]


def _reached_pre_meeting() -> Q:
    """A match reached 事前打ち合わせ: it is there or past it now, was before it failed or was put on
    hold (its history says so), or held a pre-meeting."""
    history = Match.history.model.objects.filter(id=OuterRef("pk"), stage__in=PAST_PRE_MEETING)
    held = Meeting.objects.filter(match=OuterRef("pk"), kind=Meeting.Kind.PRE_MEETING, status=Meeting.Status.HELD)
    return Q(stage__in=PAST_PRE_MEETING) | Q(Exists(history)) | Q(Exists(held))


def funnel(fy_from: int, fy_to: int) -> Table:
    """Events and interests of each year, then the year's matches by the furthest stage they reached.

    Matches count in the fiscal year they were proposed (a cohort), so a match proposed in March and
    established in May counts as 成立 in the earlier year, and no stage can outnumber the one before.
    Events and interests are counted on their own: a match need not start from either.
    """
    fys = years(fy_from, fy_to)
    cohorts = {}
    for fy in fys:
        first, last = fiscal_year_range(fy)
        in_year = Q(created_at__date__gte=first, created_at__date__lte=last)
        cohorts |= {
            f"m{fy}": Count("id", filter=in_year),
            f"p{fy}": Count("id", filter=in_year & _reached_pre_meeting()),
            f"e{fy}": Count("id", filter=in_year & Q(stage=Match.Stage.ESTABLISHED)),
        }
    matches = Match.objects.aggregate(**cohorts)
    columns = [
        _per_year(ExchangeEvent.objects.filter(status=ExchangeEvent.Status.PUBLISHED), "starts_at", fys),
        _per_year(Interest.objects.all(), "created_at", fys),
        *({fy: matches[f"{key}{fy}"] for fy in fys} for key in "mpe"),
    ]
    rows = [[fiscal_year_label(fy), *(col[fy] for col in columns)] for fy in fys]
    rows.append([TOTAL, *(sum(col.values()) for col in columns)])
    return Table(
        name="funnel",
        title=_("交流の場から成立まで（年度別）"),
        header=[
            _("年度"),
            _("交流の場（開催数）"),
            _("相談・関心表明（件数）"),
            _("マッチング"),
            _("うち事前打ち合わせに進んだ"),
            _("うち成立"),
        ],
        rows=rows,
        chart_columns=[1, 2, 3, 4, 5],
        years_along="rows",
        note=_(
            "交流の場は開催日、相談・関心表明は受付日の年度で数えます。マッチングは提案した日の年度で数え、"
            "そのマッチングが進んだ最も先の段階までの各列に入ります（成立したものは事前打ち合わせにも数えます）。"
            "このため後の段階が前の段階を上回ることはありません。交流の場と相談・関心表明はマッチングとは別に数えた件数です"
            "（マッチングはどちらも経ずに始まることがあります）。"
        ),
    )


LISTING_SIDES = [
    ((Party.Kind.ORGANIZATION, Listing.Kind.NEED), gettext_lazy("団体のニーズ")),
    ((Party.Kind.ORGANIZATION, Listing.Kind.SEED), gettext_lazy("団体のシーズ")),
    ((Party.Kind.DEPARTMENT, Listing.Kind.NEED), gettext_lazy("市のニーズ（協働テーマ）")),
    ((Party.Kind.DEPARTMENT, Listing.Kind.SEED), gettext_lazy("市のシーズ（協働メニュー）")),
]


def listings(fy_from: int, fy_to: int) -> Table:
    """Published needs and seeds as of today (the range does not apply), by activity field and side."""
    published = Listing.objects.published()
    counts = defaultdict(int)
    for r in (
        Listing.activity_fields.through.objects.filter(listing__status=Listing.Status.PUBLISHED)
        .values("activityfield_id", "listing__owner__kind", "listing__kind")
        .annotate(n=Count("id"))
    ):
        counts[r["activityfield_id"], r["listing__owner__kind"], r["listing__kind"]] = r["n"]
    unfielded = defaultdict(int)
    for r in published.filter(activity_fields__isnull=True).values("owner__kind", "kind").annotate(n=Count("id")):
        unfielded[r["owner__kind"], r["kind"]] = r["n"]
    totals = defaultdict(int)
    for r in published.values("owner__kind", "kind").annotate(n=Count("id")):
        totals[r["owner__kind"], r["kind"]] = r["n"]
    rows, short = [], {}
    for af in ActivityField.objects.order_by("number"):
        values = [counts[af.id, *side] for side, _label in LISTING_SIDES]
        name = gettext(af.name)
        rows.append([name, *values, sum(values)])
        short[name] = gettext(af.short_name)
    if any(unfielded.values()):
        values = [unfielded[side] for side, _label in LISTING_SIDES]
        rows.append([_("分野未設定"), *values, sum(values)])
    values = [totals[side] for side, _label in LISTING_SIDES]
    rows.append([_("合計（件数）"), *values, sum(values)])
    return Table(
        name="listings",
        title=_("公開中のニーズ・シーズ（活動分野別）"),
        header=[_("活動分野"), *(label for _side, label in LISTING_SIDES), TOTAL],
        rows=rows,
        chart_labels=short,
        chart_columns=[1, 2, 3, 4],
        note=_("現在公開中のものを数えます（年度の範囲は適用しません）。複数の分野をもつものは分野ごとに数えます。"),
    )


def failure_reasons(fy_from: int, fy_to: int) -> Table:
    """Matches that ended 不成立, by reason and the fiscal year they ended in (Kashiwa studies these)."""
    fys = years(fy_from, fy_to)
    counts = {
        r["failure_reason"]: r
        for r in Match.objects.filter(stage=Match.Stage.FAILED)
        .values("failure_reason")
        .annotate(**_year_counts("closed_at", fys))
    }
    reasons = list(Match.FailureReason.choices)
    if any(counts.get("", {}).get(f"y{fy}") for fy in fys):
        reasons.append(("", NO_ANSWER))
    rows = []
    for code, label in reasons:
        values = [counts.get(code, {}).get(f"y{fy}", 0) for fy in fys]
        rows.append([label, *values, sum(values)])
    totals = [sum(row[i + 1] for row in rows) for i in range(len(fys))]
    rows.append([TOTAL, *totals, sum(totals)])
    return Table(
        name="failure-reasons",
        title=_("不成立となったマッチングの理由（年度別）"),
        header=[_("不成立の理由"), *(fiscal_year_label(fy) for fy in fys), TOTAL],
        rows=rows,
        chart_columns=list(range(1, len(fys) + 1)),
        years_along="columns",
        note=_("不成立となった日の年度で数えます。"),
    )


TITLES = {
    "forms-by-year": gettext_lazy("協働の形態別・年度別の事業数"),
    "form-share": gettext_lazy("協働の形態別の事業数と割合"),
    "partner-kind-share": gettext_lazy("協働の相手（団体の種別）"),
    "origin-by-form": gettext_lazy("協働の形態別の発案者"),
    "outcome-share": gettext_lazy("協働事業の成果"),
    "departments": gettext_lazy("担当課別の事業数"),
    "department-participation": gettext_lazy("協働の実績による課の分類"),
    "continuation": gettext_lazy("完了した事業のその後（継続・終了）"),
    "funnel": gettext_lazy("交流の場から成立まで（年度別）"),
    "listings": gettext_lazy("公開中のニーズ・シーズ（活動分野別）"),
    "failure-reasons": gettext_lazy("不成立となったマッチングの理由（年度別）"),
}

TABLES = {
    "forms-by-year": forms_by_year,
    "form-share": form_share,
    "partner-kind-share": partner_kind_share,
    "origin-by-form": origin_by_form,
    "outcome-share": outcome_share,
    "departments": departments,
    "department-participation": department_participation,
    "continuation": continuation,
    "funnel": funnel,
    "listings": listings,
    "failure-reasons": failure_reasons,
}

# The proposal programme's tables live in their own module, which builds on this one's helpers.
from . import proposal_tables  # noqa: E402

TITLES |= proposal_tables.TITLES
TABLES |= proposal_tables.TABLES


# The survey's report (stats/survey_tables.py), in the order of Musashino's paper.
SURVEY_TITLES = {
    "survey-origin": gettext_lazy("協働事業を実施した経緯（実態調査）"),
    "survey-setup": gettext_lazy("協働事業の実施体制（実態調査）"),
    "survey-setup-by-form": gettext_lazy("協働事業の実施体制・協働の形態別（実態調査）"),
    "survey-merits": gettext_lazy("協働を進めることによるメリット（実態調査）"),
    "survey-concerns": gettext_lazy("協働を進める上での不安や課題（実態調査）"),
    "survey-continuation": gettext_lazy("今後の継続意向（実態調査）"),
    "survey-intent": gettext_lazy("今後の協働の実施意向（実態調査）"),
    "survey-wanted-forms": gettext_lazy("今後協働を進める場合の具体的な形態（実態調査）"),
    "survey-intent-reasons": gettext_lazy("協働を実施したいとは思わない理由（実態調査）"),
    "survey-requests-to-groups": gettext_lazy("市民団体等に改善を求める内容（実態調査）"),
    "survey-city-actions": gettext_lazy("行政として取り組む必要があると思われること（実態調査）"),
}
TITLES |= SURVEY_TITLES


def build_table(name: str, fy_from: int, fy_to: int) -> Table:
    """The named table for fiscal years fy_from … fy_to (KeyError for an unknown name)."""
    if name in SURVEY_TITLES:
        from .survey_tables import SURVEY_TABLES  # imported here: survey_tables builds on Table above

        return SURVEY_TABLES[name](fy_from, fy_to)
    return TABLES[name](fy_from, fy_to)


def default_range(today: datetime.date | None = None) -> tuple[int, int]:
    """The last five fiscal years up to the current one."""
    from django.utils import timezone

    from core.japanese import fiscal_year

    current = fiscal_year(today or timezone.localdate())
    return current - 4, current
