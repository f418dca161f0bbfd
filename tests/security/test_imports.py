"""Imports speak Excel: cp932 and UTF-8 (BOM or not) are read, anything else is a clear Japanese error;
an unknown 担当課 is an error with the nearest names, created only when asked; a preview comes first;
an xlsx over its unpacked cap is refused before parsing; large files go to the background worker."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from demo import factories as f
from organizations.models import Department
from projects import importer
from projects.models import CollaborationProject
from tests.projects.test_import import HEADER

pytestmark = pytest.mark.django_db
ADMIN_URL = "/admin/projects/collaborationproject/import-records/"
ROWS = (
    HEADER
    + "令和元年度,海岸清掃の協働,子育て支援科,はまかぜ環境の会,任意団体,委託,,,,,\n"
    + "R2,子育てサロン,子育て支援課,ひまわり子育ての会,任意団体,共催,,,,,\n"
)


@pytest.fixture
def kosodate(db):
    return f.DepartmentFactory(name="子育て支援課", parent=f.DivisionFactory(name="こども部"))


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8", "utf-8-sig"])
def test_the_reader_detects_the_encodings_excel_writes(encoding):
    text = ROWS.replace("子育て支援科", "子育て支援課")
    rows = importer.read_rows(io.BytesIO(text.encode(encoding)), "records.csv")
    assert [r["担当課"] for _, r in rows] == ["子育て支援課", "子育て支援課"]


def test_an_unreadable_encoding_is_a_japanese_error_not_a_traceback(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(ROWS.encode("utf-16"))
    with pytest.raises(CommandError, match="文字コードを読み取れません"):
        call_command("import_records", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_cp932_file_from_excel_imports_on_the_command_line(tmp_path, kosodate):
    path = tmp_path / "records.csv"
    path.write_bytes(ROWS.replace("子育て支援科", "子育て支援課").encode("cp932"))
    call_command("import_records", str(path), stdout=io.StringIO())
    assert CollaborationProject.objects.filter(department=kosodate).count() == 2


def test_an_unknown_department_is_an_error_with_the_nearest_names_and_nothing_is_created(tmp_path, kosodate):
    path = tmp_path / "records.csv"
    path.write_bytes(ROWS.encode("cp932"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(path), stdout=io.StringIO(), stderr=err)
    assert "担当課「子育て支援科」はありません（近い名前: 子育て支援課" in err.getvalue()
    assert not Department.objects.filter(name="子育て支援科").exists()
    assert CollaborationProject.objects.count() == 0
    call_command("import_records", str(path), "--create-departments", stdout=io.StringIO())
    assert Department.objects.get(name="子育て支援科").parent.name == "未分類"


def test_dry_run_prints_the_preview_and_writes_nothing(tmp_path, kosodate):
    path = tmp_path / "records.csv"
    path.write_bytes(ROWS.replace("子育て支援科", "子育て支援課").encode("utf-8-sig"))
    out = io.StringIO()
    call_command("import_records", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "追加する行: 2件、登録済みの行: 0件、誤り: 0行" in out.getvalue()
    assert CollaborationProject.objects.count() == 0


def test_admin_preview_of_a_cp932_file_offers_to_create_the_unknown_department_only_when_ticked(client, kosodate):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    upload = SimpleUploadedFile("records.csv", ROWS.encode("cp932"), content_type="text/csv")
    response = client.post(ADMIN_URL, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "子育て支援科" in page and "近い名前: 子育て支援課" in page and 'name="create_departments"' in page
    # Confirmed without ticking: refused, nothing created.
    client.post(ADMIN_URL, {"confirm": "1"})
    assert not Department.objects.filter(name="子育て支援科").exists() and CollaborationProject.objects.count() == 0
    upload = SimpleUploadedFile("records.csv", ROWS.encode("cp932"), content_type="text/csv")
    client.post(ADMIN_URL, {"file": upload})
    response = client.post(ADMIN_URL, {"confirm": "1", "create_departments": "1"})
    assert response.status_code == 302
    assert Department.objects.filter(name="子育て支援科").exists() and CollaborationProject.objects.count() == 2


def _xlsx_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * size)
    return buffer.getvalue()


def test_an_xlsx_over_its_unpacked_cap_is_refused_before_it_is_parsed(settings, monkeypatch):
    settings.IMPORT_XLSX_MAX_UNPACKED = 1024 * 1024
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    data = _xlsx_bomb(2 * 1024 * 1024)
    assert len(data) < 50 * 1024  # small on disk, large unpacked
    with pytest.raises(importer.ImportFileError, match="展開後の大きさが上限"):
        importer.read_rows(io.BytesIO(data), "records.xlsx")


def test_a_large_file_is_imported_by_the_background_worker_all_or_nothing(client, settings, kosodate):
    settings.IMPORT_BACKGROUND_ROWS = 1  # tests run tasks immediately (ImmediateBackend)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    text = ROWS.replace("子育て支援科", "子育て支援課")
    client.post(ADMIN_URL, {"file": SimpleUploadedFile("records.csv", text.encode(), content_type="text/csv")})
    response = client.post(ADMIN_URL, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/import-records/status/")
    assert CollaborationProject.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "新規2件" in page
