"""import_survey: every row checked first, errors per row, nothing imported on any error."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from organizations.models import Department
from stats.tables import build_table
from surveys.answers_io import department_header, import_answers, project_header
from surveys.models import Survey, SurveyResponse

from .conftest import FY

pytestmark = pytest.mark.django_db


def xlsx(project_rows=(), department_rows=(), sheets=("事業別", "課別")) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, header, rows in (
        ("事業別", project_header(), project_rows),
        ("課別", department_header(), department_rows),
    ):
        if name not in sheets:
            continue
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(list(r) + [""] * (len(header) - len(r)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dept_row(name, **answers):
    header = department_header()
    row = [""] * len(header)
    row[0], row[1] = "令和6年度", name
    for label, value in answers.items():
        row[header.index(label)] = value
    return row


def test_cells_are_matched_after_normalisation_and_other_takes_its_text(setting):
    data = xlsx(
        project_rows=[
            ["R6", "子育てサロン", "協働課", "ＮＰＯや市民団体からの テーマの持ち込みがあったため\nその他：要綱"]
        ],
        department_rows=[dept_row("協働課", メリット="特にない"), dept_row("未協働課", 実施意向="実施したい")],
    )
    result = import_answers(data)
    assert result.ok, result.errors
    survey = Survey.objects.get(fiscal_year=FY)
    assert survey.status == Survey.Status.CLOSED
    pa = survey.responses.get(department=setting.active).project_answers.get()
    assert pa.answers == {
        "origin": ["NPOや市民団体からのテーマの持ち込みがあったため", "その他"],
        "origin_other": "要綱",
    }
    intent = build_table("survey-intent", FY, FY)
    assert [r[1] for r in intent.rows] == [1, 0, 0, 0, 1]


def test_every_bad_row_is_reported_and_nothing_is_imported(setting):
    data = xlsx(
        project_rows=[
            ["R6", "ない事業", "協働課"],
            ["R4", "子育てサロン", "協働課"],  # the project began in FY2023: a 年度 mismatch
            ["R6", "子育てサロン", "ない課"],
        ],
        department_rows=[
            dept_row("協働課", メリット="知らない選択肢"),
            dept_row("未協働課", メリット="特にない"),  # not asked of ④
            dept_row("未協働課", 実施意向="実施したい\nわからない"),
            ["令和百年度", "協働課"],
        ],
    )
    result = import_answers(data)
    messages = [(e.sheet, e.line, e.message) for e in result.errors]
    assert ("事業別", 2, "事業「ない事業」（協働課）は令和6年度の調査対象の事業にありません") in messages
    assert ("事業別", 3, "事業「子育てサロン」（協働課）は令和4年度の調査対象の事業にありません") in messages
    assert ("事業別", 4, "担当課「ない課」が見つかりません") in messages
    assert ("課別", 2, "「メリット」の「知らない選択肢」は選択肢にありません") in messages
    assert ("課別", 3, "「メリット」は属性④の課には尋ねない質問です") in messages
    assert any(e.line == 4 and "ひとつだけ" in e.message for e in result.errors)
    assert any(e.line == 5 and "年度" in e.message for e in result.errors)
    assert not Survey.objects.exists() and not SurveyResponse.objects.exists()


def test_a_file_without_the_sheets_or_not_an_xlsx_is_refused(setting):
    assert "シート「課別」がありません。" in import_answers(xlsx(sheets=("事業別",))).errors[0].message
    assert import_answers(b"not a zip").errors[0].message == ".xlsx のファイルとして読めません。"


def test_the_command_dry_runs_creates_departments_and_refuses_errors(setting, tmp_path, capsys):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(xlsx(department_rows=[dept_row("新設課", 実施意向="わからない")]))
    with pytest.raises(CommandError, match="1件の誤り"):
        call_command("import_survey", str(path))
    assert "担当課「新設課」が見つかりません" in capsys.readouterr().err
    call_command("import_survey", str(path), "--dry-run", "--create-departments")
    assert "確認のみ" in capsys.readouterr().out
    assert not Department.objects.filter(name="新設課").exists()
    call_command("import_survey", str(path), "--create-departments")
    assert Department.objects.get(name="新設課").survey_responses.get().answers == {"intent": ["わからない"]}
    call_command("import_survey", str(path), "--create-departments")
    assert "更新した課 0" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_survey", str(tmp_path / "x.csv"))


def test_failure_reasons_count_matches_ended_unrealised_by_reason_and_year(db):
    import datetime

    from django.utils import timezone

    from matching.models import Match
    from tests import factories as f

    when = timezone.make_aware(datetime.datetime(2024, 6, 1))
    for reason in ("budget", "budget", "timing"):
        f.MatchFactory(stage=Match.Stage.FAILED, failure_reason=reason, closed_at=when)
    f.MatchFactory(stage=Match.Stage.FAILED, failure_reason="budget", closed_at=when.replace(year=2026))
    f.MatchFactory(stage=Match.Stage.ESTABLISHED, closed_at=when)
    table = build_table("failure-reasons", 2023, 2024)
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["予算"] == [0, 2, 2] and rows["時期"] == [0, 1, 1] and rows["合計"] == [0, 3, 3]


def test_the_admin_previews_then_imports(client, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(setting.admin)
    url = reverse("admin:surveys_survey_import")
    upload = SimpleUploadedFile("survey.xlsx", xlsx(department_rows=[dept_row("未協働課", 実施意向="わからない")]))
    preview = client.post(url, {"file": upload})
    assert "読み込む内容の確認" in preview.content.decode()
    assert not Survey.objects.exists()
    client.post(url, {"confirm": "1"})
    assert Survey.objects.get().responses.get().answers == {"intent": ["わからない"]}
    bad = SimpleUploadedFile("survey.xlsx", xlsx(department_rows=[dept_row("ない課")]))
    page = client.post(url, {"file": bad}).content.decode()
    assert "担当課「ない課」が見つかりません" in page and "読み込む内容の確認" not in page
