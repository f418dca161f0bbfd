from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.roles import is_coordinator_or_admin
from core.spreadsheets import XLSX_CONTENT_TYPE, csv_response, xlsx_response, xlsx_workbook_bytes
from projects.pdf import render_pdf
from surveys.models import Survey

from . import opendata
from .charts import chart
from .forms import FiscalYearRangeForm, SurveyCompareForm
from .models import OpenDataFile
from .selectors import coordinator_queues, party_home
from .tables import SURVEY_TITLES, TITLES, build_table

FORMATS = ("csv", "xlsx")


@login_required
def dashboard(request):
    """Everyone's home after login: coordinators get the work queue, the others their parties' home."""
    if is_coordinator_or_admin(request.user):
        mine = request.GET.get("scope") == "mine"
        queues = coordinator_queues(request.user, mine=mine)
        return render(
            request,
            "stats/dashboard_coordinator.html",
            {"queues": queues, "mine": mine, "total": sum(q.count for q in queues)},
        )
    has_party = bool(request.user.organization_ids or request.user.department_ids)
    context = {"has_party": has_party}
    if has_party:
        waiting, overview = party_home(request.user)
        context |= {"waiting": waiting, "overview": overview, "total": sum(q.count for q in waiting)}
    return render(request, "stats/dashboard_party.html", context)


def _range_form(request) -> tuple[FiscalYearRangeForm, int, int]:
    form = FiscalYearRangeForm(request.GET or None)
    fy_from, fy_to = form.fiscal_years()
    return form, fy_from, fy_to


def index(request):
    """The statistics tables, public like the papers' annual reports."""
    form, fy_from, fy_to = _range_form(request)
    return render(
        request,
        "stats/stats_index.html",
        {"titles": TITLES, "form": form, "fy_from": fy_from, "fy_to": fy_to},
    )


def table(request, name):
    if name not in TITLES:
        raise Http404(_("その統計表はありません。"))
    form, fy_from, fy_to = _range_form(request)
    tbl = build_table(name, fy_from, fy_to)
    return render(
        request,
        "stats/stats_table.html",
        {
            "table": tbl,
            "chart": chart(tbl),
            "form": form,
            "fy_from": fy_from,
            "fy_to": fy_to,
            "query": f"fy_from={fy_from}&fy_to={fy_to}",
        },
    )


def download(request, name, fmt):
    if name not in TITLES or fmt not in FORMATS:
        raise Http404(_("その統計表はありません。"))
    form = FiscalYearRangeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(_("年度の指定が正しくありません。"))
    fy_from, fy_to = form.fiscal_years()
    tbl = build_table(name, fy_from, fy_to)
    filename = f"{name}_{fy_from}-{fy_to}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, tbl.header, tbl.rows)
    return xlsx_response(filename, [tbl.sheet(fy_from, fy_to)])


def opendata_index(request):
    """The open-data files with their last nightly export (time, rows, SHA-256) and licence."""
    exports = {record.name: record for record in OpenDataFile.objects.all()}
    datasets = [(dataset, exports.get(name)) for name, dataset in opendata.DATASETS.items()]
    return render(request, "stats/opendata_index.html", {"datasets": datasets, **_licence()})


def opendata_dictionary(request):
    """Every column of every open-data file: what it holds and in which format."""
    return render(request, "stats/opendata_dictionary.html", {"datasets": opendata.DATASETS.values(), **_licence()})


def _licence() -> dict:
    return {
        "licence": settings.OPEN_DATA_LICENSE,
        "licence_url": settings.OPEN_DATA_LICENSE_URL,
        "government_code": settings.LOCAL_GOVERNMENT_CODE,
    }


def _opendata_file(name: str):
    """The last nightly export; before the first one, the file as it would be written now."""
    dataset = opendata.DATASETS[name]
    path = opendata.storage_path(dataset)
    if OpenDataFile.objects.filter(name=name).exists() and default_storage.exists(path):
        data = default_storage.open(path).read()
    else:
        data = dataset.csv()
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.filename}"'
    return response


def opendata_listings(request):
    return _opendata_file("listings")


def opendata_directory(request):
    return _opendata_file("organizations")


def _survey_tables(fy: int) -> list:
    return [build_table(name, fy, fy) for name in SURVEY_TITLES]


def survey_report(request, fy):
    """The whole report of one survey year (public like the paper), in the paper's order."""
    tables = _survey_tables(fy)
    years = list(Survey.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True))
    previous = next((y for y in years if y < fy), None)
    return render(
        request,
        "stats/survey_report.html",
        {"fy": fy, "items": [(t, chart(t)) for t in tables], "previous": previous, "years": years},
    )


def survey_report_download(request, fy, fmt):
    tables = _survey_tables(fy)
    if fmt == "xlsx":
        data = xlsx_workbook_bytes(t.sheet(fy, fy) for t in tables)
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    elif fmt == "pdf":
        html = render_to_string("stats/survey_report_print.html", {"fy": fy, "tables": tables}, request=request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
    else:
        raise Http404(_("その形式はありません。"))
    response["Content-Disposition"] = f'attachment; filename="survey-report-{fy}.{fmt}"'
    return response


def survey_compare(request):
    """Two survey years side by side, table by table."""
    form = SurveyCompareForm(request.GET or None)
    if not form.is_valid():
        return HttpResponseBadRequest(_("比較する年度の指定が正しくありません。"))
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    pairs = list(zip(_survey_tables(a), _survey_tables(b), strict=True))
    return render(request, "stats/survey_compare.html", {"a": a, "b": b, "pairs": pairs})
