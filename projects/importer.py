"""Import of past collaboration records from the coordinators' spreadsheets (.csv and .xlsx).

Used by `manage.py import_records` and by the admin's import page. Every row is validated first;
a file with any invalid row imports nothing. A row's identity (年度, 事業名, 担当課, 協働先) is
hashed into `import_key`, so importing the same file twice creates nothing new.
"""

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core.japanese import parse_fiscal_year
from organizations.models import CollaborationForm, Department, Organization

from .models import CollaborationProject, NextStep, Origin, Outcome, ProjectParticipant

HEADERS = ["年度", "事業名", "担当課", "協働先", "協働先の種別", "協働の形態"]
OPTIONAL_HEADERS = ["発案", "成果", "事業額", "市負担額", "継続状況"]
REQUIRED = ["年度", "事業名", "担当課", "協働先", "協働の形態"]
UNSORTED_DIVISION = "未分類"

KIND_ALIASES = {
    "NPO": "npo",
    "自治会": "neighborhood",
    "町内会": "neighborhood",
    "大学": "university",
    "会社": "company",
}
ORIGIN_ALIASES = {"市": "city", "行政": "city", "団体": "group", "市民": "group", "双方": "both", "協議": "both"}
NEXT_STEP_ALIASES = {
    "担当課事業": "department",
    "担当課の事業": "department",
    "自主事業": "group",
    "団体の自主事業": "group",
    "別の形態": "other_form",
    "別形態": "other_form",
}
FORM_SEPARATORS = ["、", ",", "，", "/", "／", ";", "；"]


def _norm(text) -> str:
    return unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()


@dataclass
class RowError:
    line: int
    problems: list[str]

    def __str__(self):
        return _("%(line)s行目: %(why)s") % {"line": self.line, "why": "／".join(self.problems)}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("読込を中止しました: %(n)s行に誤りがあります（何も登録していません）。") % {"n": len(self.errors)}
        return _(
            "読込完了: %(rows)s行のうち新規%(created)s件、登録済み%(skipped)s件、"
            "新しい担当課%(depts)s件、新しい団体%(orgs)s件。"
        ) % {
            "rows": self.rows,
            "created": self.created,
            "skipped": self.skipped,
            "depts": len(self.new_departments),
            "orgs": len(self.new_organizations),
        }


def read_rows(stream, filename: str) -> list[tuple[int, dict]]:
    """(line number, {header: value}) for each non-empty row; line 1 is the header row."""
    data = stream.read()
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        workbook.close()
    else:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    headers = [_norm(h) for h in rows[0]]
    result = []
    for number, values in enumerate(rows[1:], start=2):
        if values is None or all(v is None or _norm(v) == "" for v in values):
            continue
        result.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    return result


def missing_headers(rows: list[tuple[int, dict]]) -> list[str]:
    present = set(rows[0][1]) if rows else set()
    return [h for h in REQUIRED if h not in present]


class _Lookups:
    """Reference data loaded once per import, so validating 5,000 rows stays a handful of queries."""

    def __init__(self):
        self.forms = {}
        for form in CollaborationForm.objects.all():
            self.forms[_norm(form.name)] = form
            for alias in form.aliases.replace(",", "、").split("、"):
                if alias.strip():
                    self.forms.setdefault(_norm(alias), form)
        self.kinds = {_norm(label): value for value, label in Organization.Kind.choices}
        self.kinds.update(KIND_ALIASES)
        self.origins = {_norm(label): value for value, label in Origin.choices} | ORIGIN_ALIASES
        self.outcomes = {_norm(label): value for value, label in Outcome.choices}
        self.next_steps = {_norm(label): value for value, label in NextStep.choices} | NEXT_STEP_ALIASES
        self.departments = {}
        for dept in Department.objects.select_related("parent").order_by("order", "id"):
            self.departments.setdefault(_norm(dept.name), dept)
            self.departments.setdefault(_norm(dept.full_name), dept)
        self.organizations = {}
        for org_id, name, party_id in Organization.objects.order_by("id").values_list("id", "name", "party_id"):
            self.organizations.setdefault(_norm(name), (org_id, party_id))
        self.keys = set(
            CollaborationProject.objects.filter(import_key__isnull=False).values_list("import_key", flat=True)
        )


def _amount(value, label, problems):
    text = _norm(value).replace(",", "").replace("円", "").replace("¥", "")
    if not text:
        return None
    try:
        amount = int(float(text))
    except ValueError:
        problems.append(_("%(label)s「%(v)s」は金額（円）として読めません") % {"label": label, "v": value})
        return None
    if amount < 0:
        problems.append(_("%(label)sは0以上にしてください") % {"label": label})
        return None
    return amount


def _choice(value, table, label, problems):
    text = _norm(value)
    if not text:
        return ""
    if text not in table:
        problems.append(_("%(label)s「%(v)s」は選択肢にありません") % {"label": label, "v": text})
        return ""
    return table[text]


def import_key(fiscal_year: int, title: str, department: str, partner: str) -> str:
    identity = "|".join([str(fiscal_year), _norm(title), _norm(department), _norm(partner)])
    return hashlib.sha256(identity.encode()).hexdigest()


def validate(rows, lookups: _Lookups) -> tuple[list[dict], list[RowError]]:
    valid, errors = [], []
    for line, row in rows:
        problems = []
        for header in REQUIRED:
            if not _norm(row.get(header)):
                problems.append(_("「%(h)s」が空です") % {"h": header})
        fy = None
        if _norm(row.get("年度")):
            try:
                fy = parse_fiscal_year(row.get("年度"))
            except ValueError:
                problems.append(
                    _("年度「%(v)s」を読めません（例: 2019、令和元年度、R1、H31）") % {"v": row.get("年度")}
                )
            else:
                if not 1989 <= fy <= 2100:
                    problems.append(_("年度「%(v)s」が範囲外です") % {"v": row.get("年度")})
        title = _norm(row.get("事業名"))
        if len(title) > 200:
            problems.append(_("事業名が200文字を超えています"))
        partner = _norm(row.get("協働先"))
        if len(partner) > 200:
            problems.append(_("協働先が200文字を超えています"))
        kind = _choice(row.get("協働先の種別"), lookups.kinds, "協働先の種別", problems)
        forms = []
        text = _norm(row.get("協働の形態"))
        for sep in FORM_SEPARATORS:
            text = text.replace(sep, "\n")
        for name in filter(None, (t.strip() for t in text.split("\n"))):
            if name in lookups.forms:
                forms.append(lookups.forms[name])
            else:
                problems.append(_("協働の形態「%(v)s」は選択肢にありません") % {"v": name})
        total = _amount(row.get("事業額"), "事業額", problems)
        share = _amount(row.get("市負担額"), "市負担額", problems)
        if total is not None and share is not None and share > total:
            problems.append(_("市負担額が事業額を超えています"))
        origin = _choice(row.get("発案"), lookups.origins, "発案", problems)
        outcome = _choice(row.get("成果"), lookups.outcomes, "成果", problems)
        continuation = _choice(row.get("継続状況"), lookups.next_steps, "継続状況", problems)
        if problems:
            errors.append(RowError(line, problems))
            continue
        department = _norm(row.get("担当課"))
        valid.append(
            {
                "line": line,
                "fiscal_year": fy,
                "title": title,
                "department": department,
                "partner": partner,
                "kind": kind,
                "forms": forms,
                "budget_total": total,
                "city_share": share,
                "origin": origin,
                "outcome": outcome,
                "continuation": continuation,
                "key": import_key(fy, title, department, partner),
            }
        )
    return valid, errors


def import_records(rows, *, actor=None, progress=None) -> ImportResult:
    """Validate every row, then (only if all are valid) create the projects that are not there yet."""
    result = ImportResult(rows=len(rows))
    missing = missing_headers(rows)
    if missing:
        result.errors.append(RowError(1, [_("必須の列がありません: %(h)s") % {"h": "、".join(missing)}]))
        return result
    lookups = _Lookups()
    valid, errors = validate(rows, lookups)
    if errors:
        result.errors = errors
        return result
    with transaction.atomic():
        unsorted = None
        for done, row in enumerate(valid, start=1):
            if row["key"] in lookups.keys:
                result.skipped += 1
            else:
                dept = lookups.departments.get(row["department"])
                if dept is None:
                    if unsorted is None:
                        unsorted, _created = Department.objects.get_or_create(
                            name=UNSORTED_DIVISION, parent=None, defaults={"name_kana": "みぶんるい", "order": 99999}
                        )
                    dept = Department.objects.create(name=row["department"], parent=unsorted, order=99999)
                    lookups.departments[row["department"]] = dept
                    result.new_departments.append(row["department"])
                org = lookups.organizations.get(row["partner"])
                if org is None:
                    created = Organization.objects.create(
                        name=row["partner"],
                        name_kana="",
                        kind=row["kind"] or Organization.Kind.OTHER,
                        is_published=False,
                    )
                    org = (created.pk, created.party_id)
                    lookups.organizations[row["partner"]] = org
                    result.new_organizations.append(row["partner"])
                project = CollaborationProject(
                    title=row["title"],
                    department=dept,
                    fiscal_year_start=row["fiscal_year"],
                    fiscal_year_end=row["fiscal_year"],
                    budget_total=row["budget_total"],
                    city_share=row["city_share"],
                    origin=row["origin"],
                    outcome=row["outcome"],
                    continuation=row["continuation"],
                    status=CollaborationProject.Status.COMPLETED,
                    is_imported=True,
                    import_key=row["key"],
                    created_by=actor,
                )
                project._history_user = actor
                project._change_reason = "過去記録の読込"
                project.save()
                ProjectParticipant.objects.bulk_create(
                    [
                        ProjectParticipant(project=project, party_id=dept.party_id),
                        ProjectParticipant(project=project, party_id=org[1]),
                    ]
                )
                project.forms.set(row["forms"])
                lookups.keys.add(row["key"])
                result.created += 1
            if progress:
                progress(done, len(valid))
    return result
