"""The programme's statistics reproduce Chigasaki's table (市民提案型協働推進事業, H27–R1): 意見交換会
17/18/10/10/13, 申込 8/3/1/0/0, 採択 4/3/0/0/0 — on the page and in the CSV."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.japanese import fiscal_year_label
from demo import factories as f
from events.models import ExchangeEvent
from proposals.models import CallType, Proposal
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.stats.helpers import csv_rows, html_table, row

pytestmark = pytest.mark.django_db

# 平成27年度 … 令和元年度 = FY2015 … FY2019
CHIGASAKI = {
    2015: (17, 8, 4),
    2016: (18, 3, 3),
    2017: (10, 1, 0),
    2018: (10, 0, 0),
    2019: (13, 0, 0),
}
RANGE = {"fy_from": 2015, "fy_to": 2019}


def build_chigasaki():
    """One 市民提案型 call per year with its 意見交換会, applications and adoptions; noise that must not count."""
    for fy, (exchanges, applied, adopted) in CHIGASAKI.items():
        call = CallFactory(call_type=CallType.CITIZEN, fiscal_year=fy, cap_total=10_000_000)
        start = timezone.make_aware(datetime.datetime(fy, 8, 20, 18, 0))
        events = [
            f.ExchangeEventFactory(starts_at=start + datetime.timedelta(days=i), status=ExchangeEvent.Status.PUBLISHED)
            for i in range(exchanges)
        ]
        # A cancelled meeting and a 説明会 are linked too but are not 意見交換会 held.
        events.append(f.ExchangeEventFactory(starts_at=start, status=ExchangeEvent.Status.CANCELLED))
        events.append(
            f.ExchangeEventFactory(
                starts_at=start, kind=ExchangeEvent.Kind.BRIEFING, status=ExchangeEvent.Status.PUBLISHED
            )
        )
        call.events.set(events)
        submitted = timezone.make_aware(datetime.datetime(fy, 10, 30, 12, 0))
        for i in range(applied):
            status = Proposal.Status.ADOPTED if i < adopted else Proposal.Status.REJECTED
            ProposalFactory(
                call=call,
                status=status,
                submitted_at=submitted,
                adopted_amount=2_000_000 if i < adopted else None,
                rejection_category="" if i < adopted else "roles",
                next_step="department" if i == 0 and adopted else "",
            )
        ProposalFactory(call=call, status=Proposal.Status.DRAFT)  # never applied


def expected_rows():
    return [[fiscal_year_label(fy), "市民提案型", *map(str, figures)] for fy, figures in CHIGASAKI.items()]


def test_the_funnel_csv_reproduces_chigasakis_figures(client):
    build_chigasaki()
    response = client.get(reverse("stats:download", args=["proposal-funnel", "csv"]), RANGE)
    rows = csv_rows(response.content)
    assert rows[0] == ["年度", "種類", "意見交換会", "申込", "採択"]
    assert rows[1:6] == expected_rows()
    assert row(rows, "合計") == ["合計", "", "68", "12", "7"]


def test_the_funnel_page_shows_the_same_figures_with_era_years(client):
    build_chigasaki()
    response = client.get(reverse("stats:table", args=["proposal-funnel"]), RANGE)
    assert response.status_code == 200
    rows = html_table(response.content)
    assert row(rows, "平成27年度")[1:] == ["市民提案型", "17", "8", "4"]
    assert row(rows, "令和元年度")[1:] == ["市民提案型", "13", "0", "0"]
    assert row(rows, "合計")[2:] == ["68", "12", "7"]


def test_amounts_rejections_and_continuation(client):
    build_chigasaki()
    amounts = csv_rows(client.get(reverse("stats:download", args=["proposal-amounts", "csv"]), RANGE).content)
    assert amounts[1] == ["平成27年度", "市民提案型", "10000000", "12000000", "8000000", "80.0"]
    assert row(amounts, "合計")[2:] == ["50000000", "18000000", "14000000", "28.0"]
    reasons = csv_rows(client.get(reverse("stats:download", args=["proposal-rejections", "csv"]), RANGE).content)
    assert row(reasons, "協働の役割分担が明確でない")[1:] == ["5", "100.0"]
    after = csv_rows(client.get(reverse("stats:download", args=["proposal-continuation", "csv"]), RANGE).content)
    assert row(after, "担当課の事業として継続")[1:] == ["2", "28.6"]
    assert row(after, "継続（計）")[1:] == ["2", "28.6"]
    assert row(after, "合計")[1:] == ["7", "100.0"]
