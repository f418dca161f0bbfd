"""Past surveys in and out of the portal as .xlsx: sheets 「事業別」 and 「課別」.

A multi-answer cell lists the chosen options one per line; an option matches after NFKC and
whitespace normalisation, or is written 「その他：…」; an empty cell is 無回答. 事業別 rows name
projects already in the portal (年度, 事業名, 担当課). Every row is checked first; any error imports
nothing. Re-importing the same file changes nothing, and `export_answers` writes the same layout.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.japanese import fiscal_year_label, join_names, parse_fiscal_year
from core.spreadsheets import xlsx_workbook_bytes
from organizations.models import Department
from projects.models import CollaborationProject

from .models import ProjectAnswer, Survey, SurveyEvent, SurveyResponse
from .questions import DEPARTMENT_QUESTIONS, OTHER, PROJECT_QUESTIONS
from .selectors import department_records, surveyed_departments
from .services import apply_outcomes, current_options

PROJECT_SHEET, DEPARTMENT_SHEET = "事業別", "課別"
YEAR, TITLE, DEPARTMENT = "年度", "事業名", "担当課"
OTHER_PREFIX = re.compile(r"^その他\s*[:：]\s*")
# Unpacked size of an .xlsx: a few MB of cells at most; more is a zip bomb, not a survey.
MAX_UNPACKED = 50 * 1024 * 1024
IMPORTED_PARENT = "読込で追加された課"


def _ja(question) -> str:
    with translation.override("ja"):
        return str(question.label)


def project_header() -> list[str]:
    return [YEAR, TITLE, DEPARTMENT, *(_ja(q) for q in PROJECT_QUESTIONS)]


def department_header() -> list[str]:
    return [YEAR, DEPARTMENT, *(_ja(q) for q in DEPARTMENT_QUESTIONS)]


def _key(text) -> str:
    """NFKC with every space removed: how an option, a name or a title is matched."""
    return "".join(unicodedata.normalize("NFKC", str(text if text is not None else "")).split())


def _text(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


@dataclass
class RowError:
    sheet: str
    line: int
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    surveys: list[int] = field(default_factory=list)  # fiscal years in the file
    departments: int = 0
    projects: int = 0
    changed: int = 0  # questionnaires whose answers the import set or changed
    created_departments: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_workbook(data: bytes) -> dict[str, list[tuple[int, dict]]]:
    """{sheet: [(line, {header: value})]} of the two sheets; ValueError for a file that is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise ValueError(_("ファイルを展開すると大きすぎます。"))
    except zipfile.BadZipFile as e:
        raise ValueError(_(".xlsx のファイルとして読めません。")) from e
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_(".xlsx のファイルとして読めません。")) from e
    sheets = {}
    for name in (PROJECT_SHEET, DEPARTMENT_SHEET):
        if name not in workbook.sheetnames:
            raise ValueError(_("シート「%(name)s」がありません。") % {"name": name})
        rows = list(workbook[name].iter_rows(values_only=True))
        header = [_text(h) for h in rows[0]] if rows else []
        sheets[name] = [
            (line, dict(zip(header, values, strict=False)))
            for line, values in enumerate(rows[1:], start=2)
            if values and any(_text(v) for v in values)
        ]
        expected = project_header() if name == PROJECT_SHEET else department_header()
        missing = [h for h in expected if h not in header]
        if missing:
            raise ValueError(
                _("シート「%(name)s」に列がありません: %(cols)s") % {"name": name, "cols": join_names(missing)}
            )
    workbook.close()
    return sheets


class _Reader:
    """Reference data loaded once, and the checks of one cell."""

    def __init__(self, create_departments: bool):
        self.create_departments = create_departments
        self.departments = {}
        for dept in surveyed_departments().select_related("parent").order_by("order", "id"):
            self.departments.setdefault(_key(dept.name), dept)
            self.departments.setdefault(_key(dept.full_name), dept)
        self.new_departments: dict[str, str] = {}  # key -> name, created only when the import runs
        self.surveys = {s.fiscal_year: s for s in Survey.objects.all()}
        self.options = current_options()
        self.records: dict[int, dict] = {}

    def department(self, name, problems):
        key = _key(name)
        if not key:
            problems.append(_("担当課が空です"))
        elif key in self.departments:
            return self.departments[key]
        elif self.create_departments:
            self.new_departments.setdefault(key, _text(name))
            return key
        else:
            problems.append(_("担当課「%(v)s」が見つかりません") % {"v": _text(name)})
        return None

    def year(self, value, problems):
        try:
            return parse_fiscal_year(value)
        except (ValueError, TypeError):
            problems.append(_("年度「%(v)s」が読めません") % {"v": _text(value)})
            return None

    def survey_options(self, fy) -> dict:
        survey = self.surveys.get(fy)
        return survey.options if survey else self.options

    def record(self, fy, dept) -> tuple[int, list[int]]:
        """The department's category and projects for the year, from the portal's projects."""
        if fy not in self.records:
            self.records[fy] = department_records(fy)
        if isinstance(dept, str):  # created by this import: no projects, category ④
            return 4, []
        survey = self.surveys.get(fy)
        if survey is not None:
            existing = survey.responses.filter(department=dept).first()
            if existing is not None:
                return existing.category, list(existing.project_answers.values_list("project_id", flat=True))
        return self.records[fy].get(dept.pk, (4, []))

    def answers(self, row, questions, category, options, problems) -> dict:
        answers = {}
        for q in questions:
            header = _ja(q)
            raw = row.get(header)
            if raw is None or not _text(raw):
                continue
            if category not in q.categories:
                problems.append(
                    _("「%(q)s」は属性%(c)sの課には尋ねない質問です") % {"q": header, "c": "①②③④"[category - 1]}
                )
                continue
            if q.kind == "text":
                answers[q.code] = str(raw).strip()
                continue
            offered = {_key(o): o for o in options.get(q.code, [])}
            chosen, other = [], ""
            for line in str(raw).splitlines():
                line = line.strip()
                if not line:
                    continue
                if OTHER_PREFIX.match(unicodedata.normalize("NFKC", line)) and OTHER in offered.values():
                    chosen.append(OTHER)
                    other = OTHER_PREFIX.sub("", unicodedata.normalize("NFKC", line)).strip()
                elif _key(line) in offered:
                    chosen.append(offered[_key(line)])
                else:
                    problems.append(_("「%(q)s」の「%(v)s」は選択肢にありません") % {"q": header, "v": line})
            if q.kind == "single" and len(chosen) > 1:
                problems.append(_("「%(q)s」はひとつだけ選んでください") % {"q": header})
            if chosen:
                answers[q.code] = [o for o in options[q.code] if o in chosen]
            if other:
                answers[f"{q.code}_other"] = other
        return answers


def import_answers(data: bytes, *, actor=None, dry_run=False, create_departments=False) -> ImportResult:
    """Check the whole file, then (unless dry_run or any error) write it in one transaction."""
    result = ImportResult()
    try:
        sheets = read_workbook(data)
    except ValueError as e:
        result.errors.append(RowError("", 0, str(e)))
        return result
    reader = _Reader(create_departments)
    departments = {}  # (fy, dept key or pk) -> {"dept", "category", "projects", "answers", "project_answers"}

    def entry(fy, dept):
        key = (fy, dept if isinstance(dept, str) else dept.pk)
        if key not in departments:
            category, projects = reader.record(fy, dept)
            departments[key] = {"dept": dept, "category": category, "projects": projects, "answers": None, "pa": {}}
        return departments[key]

    for line, row in sheets[DEPARTMENT_SHEET]:
        problems = []
        fy = reader.year(row.get(YEAR), problems)
        dept = reader.department(row.get(DEPARTMENT), problems)
        if fy is not None and dept is not None:
            e = entry(fy, dept)
            if e["answers"] is not None:
                problems.append(_("同じ年度・担当課の行が重複しています"))
            e["answers"] = reader.answers(row, DEPARTMENT_QUESTIONS, e["category"], reader.survey_options(fy), problems)
        result.errors += [RowError(DEPARTMENT_SHEET, line, p) for p in problems]

    titles = {}
    for pk, title, dept_id in CollaborationProject.objects.values_list("pk", "title", "department_id"):
        titles.setdefault((_key(title), dept_id), []).append(pk)
    for line, row in sheets[PROJECT_SHEET]:
        problems = []
        fy = reader.year(row.get(YEAR), problems)
        dept = reader.department(row.get(DEPARTMENT), problems)
        title = _text(row.get(TITLE))
        if not title:
            problems.append(_("事業名が空です"))
        if fy is not None and dept is not None and title:
            e = entry(fy, dept)
            dept_pk = None if isinstance(dept, str) else dept.pk
            matches = [pk for pk in titles.get((_key(title), dept_pk), []) if pk in e["projects"]]
            if not matches:
                problems.append(
                    _("事業「%(t)s」（%(d)s）は%(y)sの調査対象の事業にありません")
                    % {"t": title, "d": _text(row.get(DEPARTMENT)), "y": fiscal_year_label(fy)}
                )
            elif matches[0] in e["pa"]:
                problems.append(_("同じ事業の行が重複しています"))
            else:
                e["pa"][matches[0]] = reader.answers(
                    row, PROJECT_QUESTIONS, e["category"], reader.survey_options(fy), problems
                )
        result.errors += [RowError(PROJECT_SHEET, line, p) for p in problems]

    result.surveys = sorted({fy for fy, _d in departments})
    result.departments = len(departments)
    result.projects = sum(len(e["pa"]) for e in departments.values())
    result.created_departments = sorted(reader.new_departments.values())
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        result.changed = _write(reader, departments, actor)
    return result


def _write(reader, departments, actor) -> int:
    created = {}
    if reader.new_departments:
        parent, _c = Department.objects.get_or_create(name=IMPORTED_PARENT, parent=None)
        for key, name in reader.new_departments.items():
            created[key], _c = Department.objects.get_or_create(name=name, parent=parent)
    changed = 0
    now = timezone.now()
    for (fy, _k), e in sorted(departments.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        survey = reader.surveys.get(fy)
        if survey is None:
            survey = Survey.objects.create(
                fiscal_year=fy,
                deadline=now.date(),
                status=Survey.Status.CLOSED,
                options=reader.options,
                opened_by=actor,
                closed_at=now,
                closed_by=actor,
            )
            reader.surveys[fy] = survey
        dept = created.get(e["dept"]) if isinstance(e["dept"], str) else e["dept"]
        response, made = SurveyResponse.objects.get_or_create(
            survey=survey, department=dept, defaults={"category": e["category"]}
        )
        if made:
            ProjectAnswer.objects.bulk_create([ProjectAnswer(response=response, project_id=pk) for pk in e["projects"]])
        answers = e["answers"] if e["answers"] is not None else response.answers
        pas = {pa.project_id: pa for pa in response.project_answers.select_related("project")}
        changed_pas = [pas[pk] for pk, a in e["pa"].items() if pas[pk].answers != a]
        if (
            not made
            and response.status == SurveyResponse.Status.SUBMITTED
            and answers == response.answers
            and not changed_pas
        ):
            continue
        for pa in changed_pas:
            pa.answers = e["pa"][pa.project_id]
        ProjectAnswer.objects.bulk_update(changed_pas, ["answers"])
        response.answers = answers
        response.status = SurveyResponse.Status.SUBMITTED
        response.submitted_at = response.submitted_at or now
        response.submitted_by = response.submitted_by or actor
        response.save()
        SurveyEvent.objects.create(survey=survey, response=response, action=SurveyEvent.Action.IMPORTED, actor=actor)
        apply_outcomes(changed_pas)
        changed += 1
    return changed


def _cell(answers: dict, question) -> str:
    value = answers.get(question.code)
    if question.kind == "text":
        return value or ""
    other = answers.get(f"{question.code}_other", "")
    return "\n".join(f"{OTHER}：{other}" if v == OTHER and other else v for v in (value or []))


def export_answers(survey: Survey) -> bytes:
    """The submitted answers of a survey in the import layout."""
    year = fiscal_year_label(survey.fiscal_year)
    responses = list(survey.responses.submitted().select_related("department__parent"))
    project_rows = [
        [year, pa.project.title, pa.response.department.name, *(_cell(pa.answers, q) for q in PROJECT_QUESTIONS)]
        for pa in ProjectAnswer.objects.filter(response__in=responses).select_related("project", "response__department")
    ]
    department_rows = [
        [year, r.department.name, *(_cell(r.answers, q) for q in DEPARTMENT_QUESTIONS)] for r in responses
    ]
    return xlsx_workbook_bytes(
        [
            (PROJECT_SHEET, project_header(), project_rows, ()),
            (DEPARTMENT_SHEET, department_header(), department_rows, ()),
        ]
    )
