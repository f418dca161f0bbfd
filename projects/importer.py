"""Import of past collaboration records from the coordinators' spreadsheets (.csv and .xlsx).

One reader for `manage.py import_records`, the admin's import page and its background task:
`read_rows` decodes (UTF-8 with or without BOM, or cp932/Shift_JIS as Japanese Excel saves CSV) and
refuses an xlsx whose unpacked size is over the cap before parsing it; `preview` validates every row
(errors by row and column, rows to add, rows already present); `import_records` writes only when
every row is valid, in one transaction. An unknown 担当課 is an error offering the nearest existing
names, unless the caller asked to create new departments. A row's identity (年度, 事業名, 担当課,
協働先) is hashed into `import_key`, so importing the same file twice creates nothing new.
"""

import csv
import difflib
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.japanese import join_names, parse_fiscal_year
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


class ImportFileError(Exception):
    """The file cannot be read at all (encoding, size, format); the message says why, in Japanese."""


@dataclass
class RowError:
    line: int
    problems: list[str]
    columns: list[str] = field(default_factory=list)  # the column of each problem, where there is one

    def __str__(self):
        return _("%(line)s行目: %(why)s") % {"line": self.line, "why": "／".join(self.problems)}

    @property
    def by_column(self) -> list[tuple[str, str]]:
        """(column, problem) pairs for the preview table."""
        columns = [*self.columns, *[""] * (len(self.problems) - len(self.columns))]
        return list(zip(columns, self.problems, strict=True))


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    to_add: list[dict] = field(default_factory=list)  # preview: valid rows not imported yet
    present: list[dict] = field(default_factory=list)  # preview: valid rows already imported
    unknown_departments: list[str] = field(default_factory=list)  # preview: created only if asked

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


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or cp932 (Shift_JIS as Excel saves it); ImportFileError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp932"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("文字コードを読み取れません。CSVは UTF-8 か Shift_JIS（Excelの「CSV（コンマ区切り）」）で保存してください。")
    )


def check_xlsx_size(data: bytes) -> None:
    """Refuse an xlsx that is not a zip or unpacks to more than IMPORT_XLSX_MAX_UNPACKED, before parsing it."""
    limit = settings.IMPORT_XLSX_MAX_UNPACKED
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("xlsx ファイルとして読み取れません。Excel で保存し直してください。")) from exc
    if unpacked > limit:
        raise ImportFileError(
            _("xlsx ファイルの展開後の大きさが上限（%(mb)s MB）を超えています。ファイルを分けてください。")
            % {"mb": limit // (1024 * 1024)}
        )


def read_rows(stream, filename: str) -> list[tuple[int, dict]]:
    """(line number, {header: value}) for each non-empty row; line 1 is the header row.

    ImportFileError (Japanese message) for an unreadable encoding, an xlsx over its unpacked cap, a
    broken file or more than IMPORT_MAX_ROWS rows.
    """
    data = stream.read()
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        check_xlsx_size(data)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            workbook.close()
        except Exception as exc:  # noqa: BLE001 - any parse failure of an uploaded workbook is the user's file
            raise ImportFileError(_("xlsx ファイルとして読み取れません。Excel で保存し直してください。")) from exc
    else:
        text = decode_csv(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise ImportFileError(_("CSV として読み取れません（%(e)s）。") % {"e": exc}) from exc
    if len(rows) - 1 > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("行数が上限（%(n)s行）を超えています。ファイルを分けてください。") % {"n": settings.IMPORT_MAX_ROWS}
        )
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


class _Problems(list):
    """A row's problems, each with the column it is in (empty for the row as a whole)."""

    def __init__(self):
        super().__init__()
        self.columns = []

    def add(self, column: str, message: str):
        self.append(message)
        self.columns.append(column)


def _amount(value, label, problems):
    text = _norm(value).replace(",", "").replace("円", "").replace("¥", "")
    if not text:
        return None
    try:
        amount = int(float(text))
    except (ValueError, OverflowError):
        problems.add(label, _("%(label)s「%(v)s」は金額（円）として読めません") % {"label": label, "v": value})
        return None
    if amount < 0:
        problems.add(label, _("%(label)sは0以上にしてください") % {"label": label})
        return None
    return amount


def _choice(value, table, label, problems):
    text = _norm(value)
    if not text:
        return ""
    if text not in table:
        problems.add(label, _("%(label)s「%(v)s」は選択肢にありません") % {"label": label, "v": text})
        return ""
    return table[text]


def import_key(fiscal_year: int, title: str, department: str, partner: str) -> str:
    identity = "|".join([str(fiscal_year), _norm(title), _norm(department), _norm(partner)])
    return hashlib.sha256(identity.encode()).hexdigest()


def nearest_departments(name: str, lookups: "_Lookups") -> list[str]:
    """Up to three existing department names closest to `name` (a typo such as 子育て支援科)."""
    return difflib.get_close_matches(name, list(lookups.departments), n=3, cutoff=0.5)


def validate(rows, lookups: _Lookups, *, create_departments: bool = False) -> tuple[list[dict], list[RowError]]:
    valid, errors = [], []
    for line, row in rows:
        problems = _Problems()
        for header in REQUIRED:
            if not _norm(row.get(header)):
                problems.add(header, _("「%(h)s」が空です") % {"h": header})
        fy = None
        if _norm(row.get("年度")):
            try:
                fy = parse_fiscal_year(row.get("年度"))
            except ValueError:
                problems.add(
                    "年度", _("年度「%(v)s」を読めません（例: 2019、令和元年度、R1、H31）") % {"v": row.get("年度")}
                )
            else:
                if not 1989 <= fy <= 2100:
                    problems.add("年度", _("年度「%(v)s」が範囲外です") % {"v": row.get("年度")})
        title = _norm(row.get("事業名"))
        if len(title) > 200:
            problems.add("事業名", _("事業名が200文字を超えています"))
        partner = _norm(row.get("協働先"))
        if len(partner) > 200:
            problems.add("協働先", _("協働先が200文字を超えています"))
        department = _norm(row.get("担当課"))
        if len(department) > 100:
            problems.add("担当課", _("担当課が100文字を超えています"))
        elif department and department not in lookups.departments and not create_departments:
            nearest = nearest_departments(department, lookups)
            problems.add(
                "担当課",
                _("担当課「%(v)s」はありません（近い名前: %(near)s）")
                % {"v": department, "near": join_names(nearest) or _("なし")},
            )
        kind = _choice(row.get("協働先の種別"), lookups.kinds, "協働先の種別", problems)
        forms = []
        text = _norm(row.get("協働の形態"))
        for sep in FORM_SEPARATORS:
            text = text.replace(sep, "\n")
        for name in filter(None, (t.strip() for t in text.split("\n"))):
            if name in lookups.forms:
                forms.append(lookups.forms[name])
            else:
                problems.add("協働の形態", _("協働の形態「%(v)s」は選択肢にありません") % {"v": name})
        total = _amount(row.get("事業額"), "事業額", problems)
        share = _amount(row.get("市負担額"), "市負担額", problems)
        if total is not None and share is not None and share > total:
            problems.add("市負担額", _("市負担額が事業額を超えています"))
        origin = _choice(row.get("発案"), lookups.origins, "発案", problems)
        outcome = _choice(row.get("成果"), lookups.outcomes, "成果", problems)
        continuation = _choice(row.get("継続状況"), lookups.next_steps, "継続状況", problems)
        if problems:
            errors.append(RowError(line, list(problems), problems.columns))
            continue
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


def preview(rows, *, create_departments: bool = False, lookups: _Lookups | None = None) -> ImportResult:
    """What an import would do, writing nothing: rows to add, rows already present, errors by row and column."""
    result = ImportResult(rows=len(rows))
    missing = missing_headers(rows)
    if missing:
        result.errors.append(RowError(1, [_("必須の列がありません: %(h)s") % {"h": join_names(missing)}], [""]))
        return result
    lookups = lookups or _Lookups()
    valid, result.errors = validate(rows, lookups, create_departments=create_departments)
    for row in valid:
        (result.present if row["key"] in lookups.keys else result.to_add).append(row)
    result.unknown_departments = sorted(
        {row["department"] for row in result.to_add if row["department"] not in lookups.departments}
    )
    return result


def import_records(rows, *, actor=None, create_departments: bool = False, progress=None) -> ImportResult:
    """Validate every row, then (only if all are valid) create the projects that are not there yet.

    All or nothing: one transaction. New departments (under 未分類) only with `create_departments`.
    """
    lookups = _Lookups()
    result = preview(rows, create_departments=create_departments, lookups=lookups)
    if result.errors:
        return result
    result.skipped = len(result.present)
    with transaction.atomic():
        unsorted = None
        for done, row in enumerate(result.to_add, start=1):
            if row["key"] in lookups.keys:  # the same row twice in one file
                result.skipped += 1
                continue
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
                route=CollaborationProject.Route.IMPORTED,
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
                progress(done, len(result.to_add))
    return result


# --- files waiting for confirmation, and the background run -----------------------------------------

PENDING_DIR = "imports"


def save_pending(data: bytes, filename: str) -> str:
    """Keep an uploaded file (private storage, never served) until the user confirms the preview."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    ext = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{ext}", ContentFile(data))


def read_pending(name: str) -> list[tuple[int, dict]]:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as stream:
        return read_rows(stream, name)


def progress_key(name: str) -> str:
    return f"import-progress:{name}"


def run_pending(name: str, *, actor=None, create_departments: bool = False) -> ImportResult:
    """Import a confirmed file, reporting progress in the (shared) cache; the file is removed afterwards."""
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    key = progress_key(name)

    def progress(done, total):
        if done == total or done % 500 == 0:
            cache.set(key, {"done": done, "total": total, "finished": False}, 86400)

    try:
        result = import_records(
            read_pending(name), actor=actor, create_departments=create_departments, progress=progress
        )
    finally:
        default_storage.delete(name)
    cache.set(
        key,
        {
            "done": result.created + result.skipped,
            "total": result.rows,
            "finished": True,
            "summary": result.summary(),
            "errors": [str(e) for e in result.errors[:200]],
        },
        86400,
    )
    return result
