"""Statistics tables on known data (the Musashino survey's 122 projects): the page, the CSV, the
xlsx download and export_stats all give the same exact counts and one-decimal shares."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from demo import factories as f
from organizations.models import CollaborationForm
from projects.models import CollaborationProject
from stats.tables import TITLES, share

from . import musashino
from .helpers import csv_rows, html_table, row, xlsx_rows

pytestmark = pytest.mark.django_db
RANGE = {"fy_from": 2021, "fy_to": 2025}


@pytest.fixture
def survey(db):
    return musashino.build()


def page_rows(client, name, params=RANGE):
    response = client.get(reverse("stats:table", args=[name]), params)
    assert response.status_code == 200
    return html_table(response.content)


def download_rows(client, name, params=RANGE):
    response = client.get(reverse("stats:download", args=[name, "csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return csv_rows(response.content)


def command_rows(tmp_path, name, *args):
    out = tmp_path / f"{name}.csv"
    call_command("export_stats", name, "--from", "2021", "--to", "2025", "--output", str(out), *args)
    return csv_rows(out.read_bytes())


def test_share_rounds_half_up_to_one_decimal():
    assert share(50, 122) == Decimal("41.0")
    assert share(14, 122) == Decimal("11.5")
    assert share(1, 8) == Decimal("12.5")
    assert share(1, 16) == Decimal("6.3")  # 6.25 rounds up, not to even
    assert share(3, 0) == Decimal("0.0")


class TestFormShare:
    EXPECTED = [
        ("委託（協働委託）", "50", "41.0"),
        ("補助・助成", "32", "26.2"),
        ("共催", "14", "11.5"),
        ("事業協力", "13", "10.7"),
        ("後援", "4", "3.3"),
        ("実行委員会・協議会", "4", "3.3"),
        ("情報提供・情報交換", "3", "2.5"),
        ("企画立案への参画・政策提案", "1", "0.8"),
        ("協賛", "1", "0.8"),
        ("指定管理者", "0", "0.0"),
        ("合計", "122", "100.0"),
    ]

    def test_page_shows_the_surveys_counts_and_shares(self, client, survey):
        rows = page_rows(client, "form-share")
        assert rows[0] == ["協働の形態", "件数", "割合(%)"]
        for label, n, pct in self.EXPECTED:
            assert row(rows, label) == [label, n, pct]

    def test_csv_has_the_same_numbers_with_exact_labels(self, client, survey):
        rows = download_rows(client, "form-share")
        assert rows[0] == ["協働の形態", "件数", "割合(%)"]
        for label, n, pct in self.EXPECTED:
            assert row(rows, label) == [label, n, pct]
        assert len(rows) == 1 + 11 + 1  # header, the eleven forms, 合計

    def test_export_stats_writes_the_same_csv(self, client, survey, tmp_path):
        assert command_rows(tmp_path, "form-share") == download_rows(client, "form-share")

    def test_imported_projects_count_like_portal_projects(self, client, survey):
        assert CollaborationProject.objects.filter(is_imported=True).count() == musashino.IMPORTED
        assert row(download_rows(client, "form-share"), "合計")[1] == "122"

    def test_projects_outside_the_range_are_left_out(self, client, survey):
        rows = download_rows(client, "form-share", {"fy_from": 2025, "fy_to": 2025})
        total = sum(1 for i in range(122) if musashino.YEARS[i % 5] == 2025)
        assert row(rows, "合計")[1] == str(total)
        assert row(rows, "委託（協働委託）")[1] == "10"

    def test_xlsx_download_holds_numbers(self, client, survey):
        response = client.get(reverse("stats:download", args=["form-share", "xlsx"]), RANGE)
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(response.content)).active
        assert ws.title == "協働の形態別の事業数と割合"
        assert [ws["A1"].value, ws["A2"].value] == ["協働の形態別の事業数と割合", "期間：令和3年度〜令和7年度"]
        rows = xlsx_rows(response.content)
        assert rows[0] == ("協働の形態", "件数", "割合(%)")
        commission = next(r for r in rows if r[0] == "委託（協働委託）")
        assert commission == ("委託（協働委託）", 50, 41.0)

    def test_export_stats_xlsx(self, survey, tmp_path):
        out = tmp_path / "form-share.xlsx"
        call_command(
            "export_stats", "form-share", "--from", "2021", "--to", "2025", "--format", "xlsx", "--output", str(out)
        )
        assert ("補助・助成", 32, 26.2) in xlsx_rows(out.read_bytes())


class TestFormsByYear:
    def test_one_column_per_fiscal_year_headed_with_the_era_like_the_page(self, client, survey):
        rows = download_rows(client, "forms-by-year")
        assert rows[0] == ["協働の形態", "令和3年度", "令和4年度", "令和5年度", "令和6年度", "令和7年度", "合計"]
        for label, n in musashino.FORMS:
            by_year = musashino.fy_counts(label)
            assert row(rows, label) == [label, *(str(by_year[fy]) for fy in musashino.YEARS), str(n)]
        assert row(rows, "合計（事業数）")[1:] == ["25", "25", "24", "24", "24", "122"]

    def test_page_heads_the_years_with_the_era(self, client, survey):
        rows = page_rows(client, "forms-by-year")
        assert rows[0][1:3] == ["令和3年度", "令和4年度"]
        assert row(rows, "委託（協働委託）") == ["委託（協働委託）", "10", "10", "10", "10", "10", "50"]

    def test_a_project_with_two_forms_counts_once_per_form(self, client, db):
        forms = {cf.name: cf for cf in CollaborationForm.objects.all()}
        f.CollaborationProjectFactory(fiscal_year_start=2023, forms=[forms["共催"], forms["後援"]])
        rows = download_rows(client, "forms-by-year")
        assert row(rows, "共催")[3] == "1"
        assert row(rows, "後援")[3] == "1"
        assert row(rows, "合計（事業数）")[3] == "1"

    def test_export_stats_matches_download(self, client, survey, tmp_path):
        assert command_rows(tmp_path, "forms-by-year") == download_rows(client, "forms-by-year")


class TestPartnerKindShare:
    EXPECTED = [
        ("NPO法人", "43", "35.2"),
        ("任意団体", "60", "49.2"),
        ("自治会・町内会", "10", "8.2"),
        ("社会福祉法人", "9", "7.4"),
        ("企業", "0", "0.0"),
        ("合計", "122", "100.0"),
    ]

    def test_counts_and_shares_everywhere(self, client, survey, tmp_path):
        for rows in (
            page_rows(client, "partner-kind-share"),
            download_rows(client, "partner-kind-share"),
            command_rows(tmp_path, "partner-kind-share"),
        ):
            for label, n, pct in self.EXPECTED:
                assert row(rows, label) == [label, n, pct]

    def test_a_project_with_two_partner_organizations_counts_once_for_each(self, client, db):
        project = f.CollaborationProjectFactory(fiscal_year_start=2024)
        f.ProjectParticipantFactory(project=project, party=f.OrganizationFactory(kind="npo").party)
        f.ProjectParticipantFactory(project=project, party=f.OrganizationFactory(kind="company").party)
        f.ProjectParticipantFactory(project=project, party=project.department.party)  # not a partner organization
        rows = download_rows(client, "partner-kind-share")
        assert row(rows, "NPO法人") == ["NPO法人", "1", "50.0"]
        assert row(rows, "企業") == ["企業", "1", "50.0"]
        assert row(rows, "合計")[1] == "2"


class TestOriginByForm:
    def test_counts_and_row_shares(self, client, survey, tmp_path):
        header = ["協働の形態", "件数", "市", "団体", "双方", "その他", "無回答"]
        header += [f"{h} 割合(%)" for h in header[2:]]
        commission = ["委託（協働委託）", "50", "23", "11", "10", "5", "1", "46.0", "22.0", "20.0", "10.0", "2.0"]
        total = ["合計", "122", "23", "83", "10", "5", "1", "18.9", "68.0", "8.2", "4.1", "0.8"]
        for rows in (download_rows(client, "origin-by-form"), command_rows(tmp_path, "origin-by-form")):
            assert rows[0] == header
            assert row(rows, "委託（協働委託）") == commission
            assert row(rows, "後援") == ["後援", "4", "0", "4", "0", "0", "0", "0.0", "100.0", "0.0", "0.0", "0.0"]
            assert row(rows, "合計") == total
        assert row(page_rows(client, "origin-by-form"), "委託（協働委託）") == commission


class TestOutcomeShare:
    def test_counts_and_shares(self, client, survey, tmp_path):
        expected = [
            ["成果が上がっている", "87", "71.3"],
            ["成果は上がっていない", "0", "0.0"],
            ["どちらとも言えない", "32", "26.2"],
            ["無回答", "3", "2.5"],
            ["合計", "122", "100.0"],
        ]
        assert download_rows(client, "outcome-share")[1:] == expected
        assert command_rows(tmp_path, "outcome-share")[1:] == expected
        assert page_rows(client, "outcome-share")[1:] == expected


class TestDepartments:
    def test_largest_first_with_counts(self, client, survey):
        rows = download_rows(client, "departments")
        assert rows[0] == ["担当課", "部", "件数", "割合(%)"]
        assert rows[1] == ["生涯学習スポーツ課", "市民部", "17", "13.9"]
        assert rows[2] == ["障害者福祉課", "市民部", "14", "11.5"]
        assert rows[3] == ["児童青少年課", "市民部", "10", "8.2"]
        assert len(rows) == 1 + 25 + 1
        assert rows[-1] == ["合計", "", "122", "100.0"]
        assert page_rows(client, "departments")[1][0] == "生涯学習スポーツ課"


class TestDepartmentParticipation:
    def test_the_four_groups_over_all_sections(self, client, db, tmp_path):
        division = f.DivisionFactory(name="総務部")
        both = f.DepartmentFactory(name="保育課", parent=division)
        spanning = f.DepartmentFactory(name="図書館", parent=division)
        latest_only = f.DepartmentFactory(name="企画調整課", parent=division)
        past_only = f.DepartmentFactory(name="教育企画課", parent=division)
        f.DepartmentFactory(name="秘書課", parent=division)
        f.DepartmentFactory(name="人事課", parent=division)
        f.CollaborationProjectFactory(department=both, fiscal_year_start=2025)
        f.CollaborationProjectFactory(department=both, fiscal_year_start=2023)
        f.CollaborationProjectFactory(department=spanning, fiscal_year_start=2023, fiscal_year_end=2025)
        f.CollaborationProjectFactory(department=latest_only, fiscal_year_start=2025)
        f.CollaborationProjectFactory(department=past_only, fiscal_year_start=2022)
        f.CollaborationProjectFactory(department=division, fiscal_year_start=2025)  # a 部 is not counted
        rows = download_rows(client, "department-participation")
        assert rows[0] == ["区分", "課の数", "割合(%)", "該当する課"]
        assert rows[1][1:] == ["2", "33.3", "保育課／図書館"]
        assert rows[2][1:] == ["1", "16.7", "企画調整課"]
        assert rows[3][1:] == ["1", "16.7", "教育企画課"]
        assert rows[4][1:3] == ["2", "33.3"]
        assert set(rows[4][3].split("／")) == {"秘書課", "人事課"}
        assert rows[5] == ["合計", "6", "100.0", ""]
        assert command_rows(tmp_path, "department-participation") == rows
        assert page_rows(client, "department-participation")[1][0].startswith("①")


class TestContinuation:
    def test_completed_projects_by_way_of_continuation(self, client, db, tmp_path):
        done = CollaborationProject.Status.COMPLETED
        for way, n in [("department", 3), ("group", 2), ("other_form", 1), ("reduced", 1), ("ended", 3)]:
            for _ in range(n):
                f.CollaborationProjectFactory(fiscal_year_start=2023, status=done, continuation=way)
        f.CollaborationProjectFactory(fiscal_year_start=2023, status="follow_up", continuation="ended")
        f.CollaborationProjectFactory(fiscal_year_start=2023, status="in_progress", continuation="ended")  # not done
        expected = [
            ["担当課の事業として継続", "3", "27.3"],
            ["団体の自主事業として継続", "2", "18.2"],
            ["別の協働の形態で継続", "1", "9.1"],
            ["縮小", "1", "9.1"],
            ["終了", "4", "36.4"],
            ["継続（計）", "7", "63.6"],
            ["合計", "11", "100.0"],
        ]
        assert download_rows(client, "continuation")[1:] == expected
        assert command_rows(tmp_path, "continuation")[1:] == expected
        assert page_rows(client, "continuation")[1:] == expected


class TestFunnel:
    HEADER = [
        "年度",
        "交流の場（開催数）",
        "相談・関心表明（件数）",
        "マッチング",
        "うち事前打ち合わせに進んだ",
        "うち成立",
    ]

    @staticmethod
    def at(y, m, d):
        import datetime

        from django.utils import timezone

        return timezone.make_aware(datetime.datetime(y, m, d, 10))

    def proposed(self, when, then=None, **kwargs):
        """A match proposed on `when`; `then` (field values) saved afterwards, as a later stage change."""
        from matching.models import Match

        match = f.MatchFactory(**kwargs)
        for name, value in (then or {}).items():
            setattr(match, name, value)
        match.save()
        Match.objects.filter(pk=match.pk).update(created_at=when)
        return match

    def test_per_fiscal_year_from_events_to_established(self, client, db, tmp_path):
        from listings.models import Interest

        at = self.at
        f.ExchangeEventFactory(starts_at=at(2024, 6, 1))
        f.ExchangeEventFactory(starts_at=at(2025, 3, 31))  # FY2024
        f.ExchangeEventFactory(starts_at=at(2025, 4, 1))  # FY2025
        f.ExchangeEventFactory(starts_at=at(2024, 7, 1), status="cancelled")
        for day in (at(2024, 5, 1), at(2024, 9, 1), at(2025, 5, 1)):
            Interest.objects.filter(pk=f.InterestFactory().pk).update(created_at=day)
        m1 = self.proposed(at(2024, 10, 1))
        m2 = self.proposed(at(2024, 10, 1), stage="established", closed_at=at(2025, 2, 1))
        f.MeetingFactory(match=m2, starts_at=at(2024, 11, 1), status="held")
        f.MeetingFactory(match=m2, starts_at=at(2024, 12, 1), status="held")  # same match: counted once
        f.MeetingFactory(match=m1, starts_at=at(2024, 11, 1), status="scheduled")
        rows = download_rows(client, "funnel", {"fy_from": 2024, "fy_to": 2025})
        assert rows == [
            self.HEADER,
            ["令和6年度", "2", "2", "2", "1", "1"],
            ["令和7年度", "1", "1", "0", "0", "0"],
            ["合計", "3", "3", "2", "1", "1"],
        ]
        out = tmp_path / "funnel.csv"
        call_command("export_stats", "funnel", "--from", "2024", "--to", "2025", "--output", str(out))
        assert csv_rows(out.read_bytes()) == rows
        page = page_rows(client, "funnel", {"fy_from": 2024, "fy_to": 2025})
        assert page[1] == ["令和6年度", "2", "2", "2", "1", "1"]

    def test_a_later_stage_never_outnumbers_an_earlier_one(self, client, db):
        """What used to break it: meetings and 成立 counted in the year they happened, matches in the
        year they were proposed, so a year with many carried-over matches showed 事前打ち合わせ > マッチング."""
        at = self.at
        for _ in range(3):  # proposed in FY2023, met and established in FY2024
            carried = self.proposed(at(2024, 2, 1), stage="established", closed_at=at(2024, 6, 1))
            f.MeetingFactory(match=carried, starts_at=at(2024, 5, 1), status="held")
        # reached 協議中 (its history says so), then ended without a held meeting
        self.proposed(at(2024, 5, 1), stage="negotiating", then={"stage": "failed"})
        self.proposed(
            at(2024, 6, 1), stage="pre_meeting", then={"stage": "on_hold", "stage_before_hold": "pre_meeting"}
        )
        self.proposed(at(2024, 7, 1))  # still 提案
        rows = download_rows(client, "funnel", {"fy_from": 2023, "fy_to": 2024})
        assert rows[1][3:] == ["3", "3", "3"]  # FY2023: the carried-over matches count where they began
        assert rows[2][3:] == ["3", "2", "0"]  # FY2024: the failed and the held one reached 事前打ち合わせ
        for r in rows[1:]:
            matches, pre_meeting, established = map(int, r[3:])
            assert matches >= pre_meeting >= established, r

    def test_the_page_explains_how_the_stages_are_counted(self, client, db):
        html = client.get(reverse("stats:table", args=["funnel"])).content.decode()
        assert "後の段階が前の段階を上回ることはありません" in html


class TestListings:
    def test_published_needs_and_seeds_by_field_and_side(self, client, db):
        from organizations.models import ActivityField

        welfare, town = ActivityField.objects.get(number=1), ActivityField.objects.get(number=3)
        dept = f.DepartmentFactory()
        f.ListingFactory(kind="need", activity_fields=[welfare])
        f.ListingFactory(kind="need", activity_fields=[welfare, town])
        f.ListingFactory(kind="seed", activity_fields=[town])
        f.ListingFactory(kind="need", owner=dept.party, activity_fields=[welfare])
        f.ListingFactory(kind="seed", owner=dept.party)
        f.ListingFactory(kind="need", activity_fields=[welfare], status="pending")  # not published
        rows = download_rows(client, "listings")
        assert rows[0] == [
            "活動分野",
            "団体のニーズ",
            "団体のシーズ",
            "市のニーズ（協働テーマ）",
            "市のシーズ（協働メニュー）",
            "合計",
        ]
        assert row(rows, "保健、医療又は福祉の増進を図る活動")[1:] == ["2", "0", "1", "0", "3"]
        assert row(rows, "まちづくりの推進を図る活動")[1:] == ["1", "1", "0", "0", "2"]
        assert row(rows, "分野未設定")[1:] == ["0", "0", "0", "1", "1"]
        assert row(rows, "合計（件数）")[1:] == ["2", "1", "1", "1", "5"]


class TestPages:
    def test_index_lists_every_table_with_downloads(self, client, db):
        response = client.get(reverse("stats:index"))
        assert response.status_code == 200
        for name in ("forms-by-year", "funnel", "listings"):
            assert reverse("stats:table", args=[name]) in response.content.decode()
            assert reverse("stats:download", args=[name, "xlsx"]) in response.content.decode()

    def test_table_page_has_caption_th_scopes_and_an_svg_chart(self, client, survey):
        html = client.get(reverse("stats:table", args=["form-share"]), RANGE).content.decode()
        assert "<caption" in html and "令和3年度〜令和7年度" in html
        assert '<th scope="col"' in html and '<th scope="row">委託（協働委託）</th>' in html
        assert "<svg" in html and 'role="img"' in html and '<title id="chart-title-wide">' in html

    def test_by_year_tables_get_a_line_chart_wide_and_narrow(self, client, db):
        f.CollaborationProjectFactory(fiscal_year_start=2023, forms=list(CollaborationForm.objects.all()[:2]))
        html = client.get(reverse("stats:table", args=["forms-by-year"]), RANGE).content.decode()
        assert html.count("<polyline") == 2 * 11  # one line per form, in the wide and the narrow drawing
        assert 'class="chart-wide"' in html and 'class="chart-narrow"' in html
        assert '<title id="chart-title-wide">協働の形態別・年度別の事業数</title>' in html
        assert ">令和3年度</text>" in html and "<table" in html  # the table stays the text alternative
        assert "<polyline" not in client.get(reverse("stats:table", args=["form-share"]), RANGE).content.decode()

    def test_the_narrow_chart_keeps_its_text_size_on_a_phone(self, db):
        """Drawn 360 wide for a 375 px screen, the chart is barely scaled: its 12 px text stays 12 px."""
        from stats.charts import NARROW, chart
        from stats.tables import build_table

        drawing = chart(build_table("forms-by-year", 2021, 2025)).narrow
        assert drawing.width == NARROW <= 360 and drawing.font >= 12
        ticks = [t.x for t in drawing.x_ticks]
        assert len(ticks) >= 3 and all(b - a >= 5 * drawing.font for a, b in zip(ticks, ticks[1:], strict=False))

    def test_xlsx_sheet_names_are_the_titles_excel_accepts(self, client, db):
        from openpyxl import load_workbook

        response = client.get(reverse("stats:download", args=["proposal-funnel", "xlsx"]), RANGE)
        ws = load_workbook(io.BytesIO(response.content)).active
        assert ws.title == "協働事業提案制度： 意見交換会・申込・採択（年度別）"[:31]
        assert not set(ws.title) & set(":/\\?*[]") and len(ws.title) <= 31

    def test_english_downloads_use_the_english_labels_of_the_page(self, client, db):
        f.CollaborationProjectFactory(fiscal_year_start=2023)
        client.cookies["django_language"] = "en"
        rows = download_rows(client, "forms-by-year")
        assert rows[0][1:] == ["FY2021", "FY2022", "FY2023", "FY2024", "FY2025", "Total"]
        page = page_rows(client, "forms-by-year")
        assert page[0][1:] == rows[0][1:]

    def test_unknown_table_is_404(self, client, db):
        assert client.get("/stats/nope/").status_code == 404
        assert client.get("/stats/nope.csv").status_code == 404
        assert client.get("/stats/form-share.pdf").status_code == 404

    def test_reversed_range_shows_an_error_and_the_default_years(self, client, db):
        response = client.get(reverse("stats:table", args=["form-share"]), {"fy_from": 2025, "fy_to": 2021})
        assert response.status_code == 200
        assert "開始年度は終了年度と同じか、それより前にしてください。" in response.content.decode()

    def test_reversed_range_download_is_refused(self, client, db):
        response = client.get(reverse("stats:download", args=["form-share", "csv"]), {"fy_from": 2025, "fy_to": 2021})
        assert response.status_code == 400

    def test_export_stats_refuses_a_reversed_range(self, db, tmp_path):
        with pytest.raises(CommandError):
            call_command("export_stats", "form-share", "--from", "2025", "--to", "2021")

    def test_export_stats_without_output_writes_csv_to_stdout(self, survey):
        out = io.StringIO()
        call_command("export_stats", "outcome-share", "--from", "2021", "--to", "2025", stdout=out)
        assert "成果が上がっている,87,71.3" in out.getvalue()

    def test_export_stats_refuses_an_unknown_table(self, db):
        with pytest.raises(CommandError):
            call_command("export_stats", "nope")

    @pytest.mark.parametrize("name", list(TITLES))
    def test_query_count_does_not_grow_with_the_data(self, client, db, django_assert_num_queries, name):
        f.CollaborationProjectFactory(fiscal_year_start=2023)
        client.get(reverse("stats:table", args=[name]), RANGE)  # warm caches (content types, sessions)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get(reverse("stats:table", args=[name]), RANGE)
        for year in (2021, 2022, 2024, 2025):
            for _ in range(10):
                p = f.CollaborationProjectFactory(
                    fiscal_year_start=year,
                    forms=list(CollaborationForm.objects.all()[:2]),
                )
                f.ProjectParticipantFactory(project=p)
            f.ListingFactory()
        with django_assert_num_queries(len(one)):
            client.get(reverse("stats:table", args=[name]), RANGE)
