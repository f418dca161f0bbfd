"""The shared export helpers (formula injection) and the open data downloads."""

import csv
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import csv_text, safe_cell, xlsx_bytes
from demo import factories as f

from .helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", '=HYPERLINK("http://x")'])
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["委託（協働委託）", "a=b", "", 12, -3])
def test_plain_text_and_numbers_pass_unchanged(value):
    assert safe_cell(value) == value


def test_csv_text_neutralises_every_cell_and_starts_with_bom():
    text = csv_text(["名前", "=x"], [["=cmd|' /C calc'!A0", 1]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["名前", "'=x"], ["'=cmd|' /C calc'!A0", "1"]]


def test_sheet_names_lose_the_characters_excel_refuses_and_stay_unique():
    from core.spreadsheets import sheet_name

    assert sheet_name("協働事業提案制度: 採択/不採択 [案]?*") == "協働事業提案制度： 採択／不採択 ［案］？＊"
    long = "あ" * 40
    assert sheet_name(long) == "あ" * 31
    assert sheet_name(long, taken=["あ" * 31]) == "あ" * 28 + "(2)"
    assert sheet_name("'x'") == "x"


def test_xlsx_cells_are_neutralised_too():
    ws = load_workbook(io.BytesIO(xlsx_bytes(["h"], [["@SUM(1)"], [5]]))).active
    assert [c.value for c in ws["A"]] == ["h", "'@SUM(1)", 5]


def test_a_department_named_like_a_formula_is_quoted_in_the_statistics(client, tmp_path):
    f.CollaborationProjectFactory(department=f.DepartmentFactory(name="=危険な課"), fiscal_year_start=2024)
    response = client.get(reverse("stats:download", args=["departments", "csv"]), {"fy_from": 2024, "fy_to": 2024})
    assert csv_rows(response.content)[1][0] == "'=危険な課"
    out = tmp_path / "d.xlsx"
    call_command(
        "export_stats", "departments", "--from", "2024", "--to", "2024", "--format", "xlsx", "--output", str(out)
    )
    assert xlsx_rows(out.read_bytes())[1][0] == "'=危険な課"


def opendata(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "全国地方公共団体コード"
    assert {r[0] for r in rows[1:]} <= {settings.LOCAL_GOVERNMENT_CODE}
    return [r[1:] for r in rows]


class TestOpenData:
    def test_index_links_both_datasets(self, client):
        html = client.get(reverse("stats:opendata")).content.decode()
        assert reverse("stats:opendata_listings") in html
        assert reverse("stats:opendata_directory") in html

    def test_listings_csv_has_published_listings_only_without_personal_data(self, client):
        from organizations.models import ActivityField

        creator = f.UserFactory(family_name="秘密", given_name="太郎", email="secret@example.jp")
        org = f.OrganizationFactory(name="NPO法人みどり環境の会")
        f.ContactPersonFactory(organization=org, name="連絡 花子", email="hanako@example.jp", phone="0467-00-0000")
        listing = f.ListingFactory(
            owner=org.party,
            title="=海岸清掃",
            created_by=creator,
            activity_fields=list(ActivityField.objects.filter(number__in=[3, 7])),
        )
        f.ListingFactory(title="審査中のもの", status="pending")
        dept_listing = f.ListingFactory(
            owner=f.DepartmentFactory(name="環境政策課").party, kind="seed", title="会議室の貸出"
        )
        rows = opendata(client, "stats:opendata_listings")
        assert rows[0][:5] == ["ID", "種別", "掲載者区分", "掲載者名", "タイトル"]
        assert len(rows) == 3
        by_id = {r[0]: r for r in rows[1:]}
        mine = by_id[str(listing.pk)]
        assert mine[1:5] == ["ニーズ", "団体", "NPO法人みどり環境の会", "'=海岸清掃"]
        assert mine[7] == "まちづくりの推進を図る活動;環境の保全を図る活動"
        assert mine[-1].endswith(reverse("listings:detail", args=[listing.pk]))
        assert by_id[str(dept_listing.pk)][1:4] == ["協働メニュー", "担当課", "環境政策課"]
        text = "\n".join(",".join(r) for r in rows)
        for private in ("秘密", "secret@example.jp", "連絡 花子", "hanako@example.jp", "0467-00-0000", "審査中のもの"):
            assert private not in text

    def test_directory_csv_has_published_organizations_without_contacts(self, client):
        org = f.OrganizationFactory(
            name="NPO法人ひまわり子育ての会", name_kana="ひまわりこそだてのかい", public_phone="0467-11-2222"
        )
        f.make_group_member(org, family_name="山川", given_name="一郎", email="member1@example.jp")
        f.ContactPersonFactory(organization=org, name="連絡 次郎", email="jiro@example.jp")
        f.OrganizationFactory(name="非公開の団体", is_published=False, review_status="draft")
        rows = opendata(client, "stats:opendata_directory")
        assert rows[0][:4] == ["ID", "名称", "名称_カナ", "団体の種別"]
        assert [r[1] for r in rows[1:]] == ["NPO法人ひまわり子育ての会"]
        assert rows[1][2:4] == ["ヒマワリコソダテノカイ", "NPO法人"]
        text = "\n".join(",".join(r) for r in rows)
        for private in ("山川", "member1@example.jp", "連絡 次郎", "jiro@example.jp", org.public_email, "0467-11-2222"):
            assert private not in text

    def test_nightly_export_is_served_with_its_row_count_and_checksum(self, client, settings, tmp_path):
        import hashlib

        from stats.models import OpenDataFile

        settings.MEDIA_ROOT = tmp_path
        f.ListingFactory(title="書き出し前の掲載")
        call_command("export_open_data")
        f.ListingFactory(title="書き出し後の掲載")  # appears in tonight's file, not in the served one
        response = client.get(reverse("stats:opendata_listings"))
        record = OpenDataFile.objects.get(name="listings")
        assert record.rows == 1
        assert hashlib.sha256(response.content).hexdigest() == record.sha256
        assert "書き出し後の掲載" not in response.content.decode("utf-8-sig")
        page = client.get(reverse("stats:opendata")).content.decode()
        assert record.sha256 in page and settings.OPEN_DATA_LICENSE in page

    def test_data_dictionary_describes_every_column(self, client):
        from stats.opendata import DATASETS

        page = client.get(reverse("stats:opendata_dictionary")).content.decode()
        for dataset in DATASETS.values():
            for column in dataset.columns:
                assert f'<th scope="row"><span lang="ja">{column.name}</span></th>' in page
                assert str(column.description) in page

    def test_the_scheduler_exports_open_data_nightly(self):
        from notifications.management.commands.run_scheduler import JOBS

        assert "export_open_data" in {job.command for job in JOBS}

    def test_open_data_query_count_does_not_grow(self, client, django_assert_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        f.ListingFactory()
        with CaptureQueriesContext(connection) as one_l:
            client.get(reverse("stats:opendata_listings"))
        with CaptureQueriesContext(connection) as one_d:
            client.get(reverse("stats:opendata_directory"))
        for _ in range(20):
            f.ListingFactory(owner=f.DepartmentFactory().party)
        with django_assert_num_queries(len(one_l)):
            client.get(reverse("stats:opendata_listings"))
        with django_assert_num_queries(len(one_d)):
            client.get(reverse("stats:opendata_directory"))
