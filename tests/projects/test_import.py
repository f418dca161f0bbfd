import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from core.japanese import parse_fiscal_year
from demo import factories as f
from organizations.models import Department, Organization
from projects.models import CollaborationProject

pytestmark = pytest.mark.django_db

HEADER = "年度,事業名,担当課,協働先,協働先の種別,協働の形態,発案,成果,事業額,市負担額,継続状況\n"
GOOD = (
    HEADER
    + '令和元年度,海岸清掃の協働,資源循環課,はまかぜ環境の会,任意団体,委託,市が発案,成果が上がっている,"1,200,000",800000,担当課の事業として継続\n'
    + "H30,防災フェア,防災対策課,NPO法人あおぞら防災ネットワーク,NPO法人,共催、後援,双方,どちらとも言えない,300000,100000,縮小\n"
    + "R2,子育てサロン,新設こども未来課,ひまわり子育ての会,任意団体,実行委員会,,,,,\n"
    + "2021年度,多文化交流会,国際交流課,みなと国際大学,大学・教育機関,情報提供,団体,,,,\n"
)


@pytest.fixture
def departments(db):
    division = f.DivisionFactory(name="環境部")
    f.DepartmentFactory(name="資源循環課", parent=division)
    f.DepartmentFactory(name="防災対策課", parent=f.DivisionFactory(name="総務部"))
    f.DepartmentFactory(name="国際交流課", parent=f.DivisionFactory(name="市民生活部"))


def write(tmp_path, text, name="records.csv", bom=False):
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "value",
    [2019, "2019", "2019年度", "令和元年度", "令和1年度", "R1", "R01", "H31", "平成31年度", "Ｒ１", "２０１９年度"],
)
def test_every_way_of_writing_fy2019_parses_to_2019(value):
    assert parse_fiscal_year(value) == 2019


@pytest.mark.parametrize("value", ["", "令和", "R0", "X1", "2019/4/1", "来年度"])
def test_unreadable_years_are_refused(value):
    with pytest.raises(ValueError):
        parse_fiscal_year(value)


def test_import_creates_completed_projects_with_parties_forms_and_figures(tmp_path, departments):
    out = io.StringIO()
    call_command("import_records", str(write(tmp_path, GOOD, bom=True)), "--create-departments", stdout=out)
    assert CollaborationProject.objects.count() == 4
    beach = CollaborationProject.objects.get(title="海岸清掃の協働")
    assert beach.status == CollaborationProject.Status.COMPLETED and beach.is_imported
    assert beach.fiscal_year_start == 2019 and beach.budget_total == 1200000 and beach.city_share == 800000
    assert [fm.name for fm in beach.forms.all()] == ["委託（協働委託）"]
    assert (beach.origin, beach.outcome, beach.continuation) == ("city", "good", "department")
    assert {p.party.name for p in beach.participants.all()} == {"資源循環課", "はまかぜ環境の会"}
    fair = CollaborationProject.objects.get(title="防災フェア")
    assert fair.fiscal_year_start == 2018 and {fm.name for fm in fair.forms.all()} == {"共催", "後援"}
    assert Organization.objects.get(name="はまかぜ環境の会").kind == "voluntary"
    assert CollaborationProject.objects.get(title="子育てサロン").forms.get().name == "実行委員会・協議会"
    assert CollaborationProject.objects.get(title="多文化交流会").forms.get().name == "情報提供・情報交換"
    # Asked for, the unknown department is created under 未分類 and reported.
    new = Department.objects.get(name="新設こども未来課")
    assert new.parent.name == "未分類"
    output = out.getvalue()
    assert "新設こども未来課" in output and "新規4件" in output


def test_importing_the_same_file_twice_creates_nothing_new(tmp_path, departments):
    path = write(tmp_path, GOOD)
    call_command("import_records", str(path), "--create-departments", stdout=io.StringIO())
    counts = (CollaborationProject.objects.count(), Organization.objects.count(), Department.objects.count())
    out = io.StringIO()
    call_command("import_records", str(path), stdout=out)
    assert (CollaborationProject.objects.count(), Organization.objects.count(), Department.objects.count()) == counts
    assert "新規0件、登録済み4件" in out.getvalue()


def test_a_file_with_any_invalid_row_imports_nothing_and_names_each_bad_row(tmp_path, departments):
    bad = (
        GOOD
        + "来年度,謎の事業,資源循環課,はまかぜ環境の会,任意団体,委託,,,,,\n"
        + "R3,,資源循環課,はまかぜ環境の会,任意団体,寄付,,,100,200,\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="3行に誤り"):  # with the unknown 担当課 of line 4
        call_command("import_records", str(write(tmp_path, bad)), stdout=io.StringIO(), stderr=err)
    assert CollaborationProject.objects.count() == 0
    assert not Organization.objects.filter(name="はまかぜ環境の会").exists()
    messages = err.getvalue()
    assert "6行目" in messages and "年度「来年度」" in messages
    assert "7行目" in messages and "「事業名」が空です" in messages and "協働の形態「寄付」" in messages
    assert "市負担額が事業額を超えています" in messages


def test_missing_headers_are_reported(tmp_path, db):
    with pytest.raises(CommandError):
        call_command(
            "import_records", str(write(tmp_path, "年度,事業名\n2019,x\n")), stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_xlsx_imports_like_csv(tmp_path, departments):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in GOOD.strip().split("\n"):
        sheet.append(next(csv.reader([line])))
    sheet.append(
        [2020, "数値の年度", "資源循環課", "はまかぜ環境の会", "任意団体", "事業協力", None, None, 5000, 0, None]
    )
    path = tmp_path / "records.xlsx"
    workbook.save(path)
    call_command("import_records", str(path), "--create-departments", stdout=io.StringIO())
    assert CollaborationProject.objects.count() == 5
    assert CollaborationProject.objects.get(title="数値の年度").fiscal_year_start == 2020


def test_admin_imports_through_the_same_importer_after_a_preview(client, admin_user, departments):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    url = "/admin/projects/collaborationproject/import-records/"
    assert client.get(url).status_code == 200
    known = GOOD.replace("新設こども未来課", "資源循環課")
    upload = SimpleUploadedFile("records.csv", known.encode("cp932"), content_type="text/csv")
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "追加する行: 4件" in page and "この内容で読み込む" in page
    assert CollaborationProject.objects.count() == 0  # nothing until confirmed
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert CollaborationProject.objects.filter(is_imported=True).count() == 4
    assert set(CollaborationProject.objects.values_list("route", flat=True)) == {CollaborationProject.Route.IMPORTED}
    bad = SimpleUploadedFile("bad.csv", (HEADER + "x,y,z,w,v,u,,,,,\n").encode(), content_type="text/csv")
    response = client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "<td>2</td><td>年度</td>" in page and "この内容で読み込む" not in page
