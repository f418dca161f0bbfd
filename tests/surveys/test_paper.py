"""The paper's figures from a record-level import: page, CSV, xlsx and export_stats give them exactly."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from projects.models import CollaborationProject
from stats.tables import build_table
from surveys.answers_io import export_answers, import_answers
from surveys.models import Survey, SurveyResponse
from tests.stats.helpers import csv_rows, html_table, row, xlsx_rows

from . import paper

pytestmark = pytest.mark.django_db
NAMES = [*paper.EXPECTED, "survey-setup-by-form", *paper.BY_RECORD]


@pytest.fixture
def imported():
    _sections, projects = paper.build_portal()
    data = paper.workbook_bytes(paper.project_rows(projects), paper.department_rows())
    result = import_answers(data)
    assert result.ok, result.errors[:5]
    return data


def expected_rows(name) -> list[list[str]]:
    """(label, share, …) per row as the paper prints them, with 無回答 and n."""
    if name in paper.EXPECTED:
        n, shares, missing = paper.EXPECTED[name]
        tbl = build_table(name, paper.FY, paper.FY)
        labels = [r[0] for r in tbl.rows[:-2]]
        assert len(labels) == len(shares), labels
        return [[label, f"{s:.1f}"] for label, s in zip(labels, shares, strict=True)] + [
            ["無回答", f"{missing:.1f}"],
            ["回答数（n）", str(n)],
        ]
    if name == "survey-setup-by-form":
        return [[label, *(f"{s:.1f}" for s in shares)] for label, shares in paper.SETUP_BY_FORM_SHARES.items()]
    rows = [[label, *(f"{s:.1f}" for s in shares)] for label, shares in paper.BY_RECORD[name].items()]
    return [*rows, ["回答数（n）", "53", "25", "28"]]


def pick(name, table_rows) -> list[list[str]]:
    """The cells of each row that the paper prints: the shares (and n where the paper shows it)."""
    out = []
    for r in table_rows[1:]:
        if name in paper.EXPECTED:
            out.append([r[0], r[1] if r[0] == "回答数（n）" else r[2]])
        elif name == "survey-setup-by-form":
            out.append([r[0], *r[7:12]])
        elif r[0] == "回答数（n）":
            out.append([r[0], r[1], r[3], r[5]])
        else:
            out.append([r[0], r[2], r[4], r[6]])
    return out


def as_text(value, header) -> str:
    """An xlsx cell as the CSV writes it (a share 32.0 is stored as the number 32)."""
    if header.endswith("割合(%)"):
        return f"{value:.1f}"
    return str(value)


def test_the_import_holds_the_paper_s_departments_and_projects(imported):
    survey = Survey.objects.get(fiscal_year=paper.FY)
    counts = {c: survey.responses.filter(category=c).count() for c in (1, 2, 3, 4)}
    assert counts == {1: 19, 2: 5, 3: 1, 4: 28}
    assert survey.responses.submitted().count() == 53
    # 図表8 sets the projects' 成果: 87 成果が上がっている, 32 どちらとも言えない, 3 無回答
    outcomes = sorted(CollaborationProject.objects.values_list("outcome", flat=True))
    assert outcomes.count("good") == 87 and outcomes.count("unsure") == 32 and outcomes.count("") == 3


def test_page_csv_xlsx_and_export_stats_give_the_paper_s_figures(imported, client, capsys):
    """One import, every table, every channel (building the 53 sections and 122 projects is the slow part)."""
    query = {"fy_from": paper.FY, "fy_to": paper.FY}
    for name in NAMES:
        expected = expected_rows(name)
        page = client.get(f"/stats/{name}/", query)
        assert page.status_code == 200
        assert same(name, pick(name, html_table(page.content)), expected), ("page", name)
        csv_ = client.get(f"/stats/{name}.csv", query)
        assert same(name, pick(name, csv_rows(csv_.content)), expected), ("csv", name)
        rows = xlsx_rows(client.get(f"/stats/{name}.xlsx", query).content)
        rows = [rows[0], *([as_text(c, h) for c, h in zip(r, rows[0], strict=True)] for r in rows[1:])]
        assert same(name, pick(name, rows), expected), ("xlsx", name)
        call_command("export_stats", name, "--from", str(paper.FY), "--to", str(paper.FY))
        out = capsys.readouterr().out.encode("utf-8")
        assert same(name, pick(name, csv_rows(out)), expected), ("export_stats", name)


def same(name, actual, expected) -> bool:
    """Equal rows; 図表7's forms follow the portal's order of forms, not the paper's."""
    if name == "survey-setup-by-form":
        return sorted(actual) == sorted(expected)
    if actual != expected:
        print(name, actual, expected)  # noqa: T201  (shown by pytest on failure)
    return actual == expected


def test_figure_16_and_15_follow_the_records_not_the_paper_s_n(imported):
    """図表16 prints n=4 for the three departments that want to collaborate; 図表15 prints n=27 with
    shares of 29. The records give n=3 and n=28 (one ④ department left 実施意向 unanswered)."""
    wanted = build_table("survey-wanted-forms", paper.FY, paper.FY)
    assert row(wanted.rows, "回答数（n）")[1] == 3
    assert row(wanted.rows, "情報提供・情報交換")[1:] == [2, Decimal("66.7")]
    intent = build_table("survey-intent", paper.FY, paper.FY)
    assert [r[1] for r in intent.rows] == [3, 22, 2, 1, 28]


def test_reimporting_the_same_file_or_the_export_changes_nothing(imported):
    before = list(SurveyResponse.objects.order_by("pk").values_list("pk", "version", "answers", "updated_at"))
    result = import_answers(imported)
    assert result.ok and result.changed == 0
    assert list(SurveyResponse.objects.order_by("pk").values_list("pk", "version", "answers", "updated_at")) == before

    survey = Survey.objects.get(fiscal_year=paper.FY)
    exported = export_answers(survey)
    result = import_answers(exported, dry_run=True)
    assert result.ok and result.departments == 53 and result.projects == 122
    assert import_answers(exported).changed == 0
    original = openpyxl.load_workbook(io.BytesIO(imported))
    again = openpyxl.load_workbook(io.BytesIO(exported))
    for sheet in ("事業別", "課別"):
        assert next(again[sheet].iter_rows(values_only=True)) == next(original[sheet].iter_rows(values_only=True))
