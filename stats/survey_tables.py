"""The report of the annual collaboration survey (協働事業実態調査) as statistics tables, in the order
of Musashino's report (図表5, 6, 7, 10, 12, 14, 15, 16, 17, 19–20, 22–23).

Only submitted questionnaires count, of the surveys of the fiscal years in the range. n is the
number of projects or departments asked the question (a question not answered is 無回答); a
multi-answer share is the count over n, so shares may add up to more than 100. The options are the
surveys' own (the snapshot each survey was opened with), in their order.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import CollaborationProject
from surveys.models import ProjectAnswer, SurveyResponse
from surveys.questions import NEVER, QUESTIONS

from .tables import NO_ANSWER, SHARE, Table, share

N_ROW = gettext_lazy("回答数（n）")
CHART_LABEL = 16  # characters of an option shown beside its bar; the table keeps the whole label
COUNT = gettext_lazy("件数")
ALL, WITH, WITHOUT = gettext_lazy("全体"), gettext_lazy("協働実績有り"), gettext_lazy("協働実績無し")


def _responses(fy_from, fy_to):
    return list(
        SurveyResponse.objects.submitted()
        .filter(survey__fiscal_year__gte=fy_from, survey__fiscal_year__lte=fy_to)
        .select_related("survey")
        .only("id", "category", "answers", "survey__options", "survey__fiscal_year")
    )


def _options(responses, code) -> list[str]:
    """The options of a question across the surveys of the range, each once, in their order."""
    seen = {}
    for r in responses:
        for label in r.survey.options.get(code, []):
            seen.setdefault(label, None)
    return list(seen)


def _chart_labels(labels) -> dict[str, str]:
    return {label: label[: CHART_LABEL - 1] + "…" for label in labels if len(label) > CHART_LABEL}


def _tally(answer_sets: list[dict], code: str, options: list[str]) -> tuple[list[int], int]:
    counts = dict.fromkeys(options, 0)
    missing = 0
    for answers in answer_sets:
        chosen = answers.get(code) or []
        if not chosen:
            missing += 1
        for label in chosen:
            if label in counts:
                counts[label] += 1
    return [counts[o] for o in options], missing


def _choice_table(name, code, answer_sets, options, note) -> Table:
    q = QUESTIONS[code]
    counts, missing = _tally(answer_sets, code, options)
    n = len(answer_sets)
    rows = [[label, c, share(c, n)] for label, c in zip(options, counts, strict=True)]
    rows.append([NO_ANSWER, missing, share(missing, n)])
    rows.append([N_ROW, n, share(n, n)])
    kind = _("複数回答") if q.kind == "multi" else _("単一回答")
    return Table(
        name=name,
        title=_("%(title)s（%(kind)s、n=%(n)s）") % {"title": q.title, "kind": kind, "n": n},
        header=[_("選択肢"), COUNT, SHARE],
        rows=rows,
        chart_columns=[2],
        chart_labels=_chart_labels(options),
        note=note,
    )


def _in(responses, code):
    categories = QUESTIONS[code].categories
    return [r for r in responses if r.category in categories]


def _project_answers(responses, code) -> list[ProjectAnswer]:
    ids = [r.pk for r in _in(responses, code)]
    return list(ProjectAnswer.objects.filter(response_id__in=ids).only("id", "project_id", "answers"))


PROJECT_NOTE = gettext_lazy("割合は回答の対象となった事業数（n）に対する割合です。")
DEPARTMENT_NOTE = gettext_lazy("割合は回答の対象となった課の数（n）に対する割合です。")
MULTI_NOTE = gettext_lazy("複数回答のため、割合の合計は100%を超えることがあります。")


def _project_table(name, code):
    def build(fy_from, fy_to):
        responses = _responses(fy_from, fy_to)
        answers = [pa.answers for pa in _project_answers(responses, code)]
        return _choice_table(name, code, answers, _options(responses, code), str(PROJECT_NOTE) + str(MULTI_NOTE))

    return build


def _department_table(name, code, population=None):
    def build(fy_from, fy_to):
        responses = _in(_responses(fy_from, fy_to), code)
        if population is not None:
            responses = [r for r in responses if population(r)]
        note = str(DEPARTMENT_NOTE) + (str(MULTI_NOTE) if QUESTIONS[code].kind == "multi" else "")
        return _choice_table(name, code, [r.answers for r in responses], _options(responses, code), note)

    return build


def _intent_is(position):
    """Departments whose 実施意向 is the survey's option at `position` (0 実施したい, 1 したいとは思わない)."""

    def test(r):
        offered = r.survey.options.get("intent", [])
        return len(offered) > position and (r.answers.get("intent") or [None])[0] == offered[position]

    return test


def setup_by_form(fy_from, fy_to) -> Table:
    """図表7: 実施体制 per form of collaboration, each form's n its projects (a project with several
    forms counts under each)."""
    responses = _responses(fy_from, fy_to)
    options = _options(responses, "setup")
    pas = _project_answers(responses, "setup")
    forms, order = {}, {NO_ANSWER: (1 << 16, 0)}
    for project_id, form_name, form_order, form_id in CollaborationProject.forms.through.objects.filter(
        collaborationproject_id__in=[pa.project_id for pa in pas]
    ).values_list(
        "collaborationproject_id", "collaborationform__name", "collaborationform__order", "collaborationform_id"
    ):
        forms.setdefault(project_id, []).append(form_name)
        order[form_name] = (form_order, form_id)
    by_form = {}
    for pa in pas:
        for form_name in forms.get(pa.project_id, [NO_ANSWER]):
            by_form.setdefault(form_name, []).append(pa.answers)
    names = sorted(by_form, key=order.__getitem__)
    labels = [*options, NO_ANSWER]

    def row(label, answer_sets):
        counts, missing = _tally(answer_sets, "setup", options)
        counts.append(missing)
        n = len(answer_sets)
        return [label, n, *counts, *(share(c, n) for c in counts)]

    rows = [row(name, by_form[name]) for name in names]
    rows.append(row(_("総計"), [pa.answers for pa in pas]))
    return Table(
        name="survey-setup-by-form",
        title=_("協働事業の実施体制（協働の形態別）"),
        header=[_("協働の形態"), "n", *labels, *(f"{label} {SHARE}" for label in labels)],
        rows=rows,
        chart_columns=list(range(2 + len(labels), 2 + 2 * len(labels))),
        note=_("割合は各形態の事業数（n）に対する割合です。複数の形態をもつ事業は形態ごとに数えます。"),
    )


def _by_record(name, code):
    """図表20 / 23: the shares for all departments, those with a collaboration record (①–③) and
    those without (④)."""

    def build(fy_from, fy_to) -> Table:
        responses = _in(_responses(fy_from, fy_to), code)
        options = _options(responses, code)
        groups = [
            responses,
            [r for r in responses if r.category != NEVER],
            [r for r in responses if r.category == NEVER],
        ]
        tallies = [_tally([r.answers for r in g], code, options) for g in groups]
        rows = []
        for i, label in enumerate([*options, NO_ANSWER]):
            cells = []
            for g, (counts, missing) in zip(groups, tallies, strict=True):
                c = counts[i] if i < len(options) else missing
                cells += [c, share(c, len(g))]
            rows.append([label, *cells])
        rows.append([N_ROW, *(v for g in groups for v in (len(g), share(len(g), len(g))))])
        header = [_("選択肢")]
        for group in (ALL, WITH, WITHOUT):
            header += [f"{group} {COUNT}", f"{group} {SHARE}"]
        q = QUESTIONS[code]
        return Table(
            name=name,
            title=_("%(title)s（協働実績の有無別、複数回答）") % {"title": q.title},
            header=header,
            rows=rows,
            chart_columns=[2, 4, 6],
            chart_labels=_chart_labels(options),
            note=_("協働実績有りは属性①〜③、無しは属性④の課です。") + str(MULTI_NOTE),
        )

    return build


SURVEY_TABLES = {
    "survey-origin": _project_table("survey-origin", "origin"),
    "survey-setup": _project_table("survey-setup", "setup"),
    "survey-setup-by-form": setup_by_form,
    "survey-merits": _department_table("survey-merits", "merits"),
    "survey-concerns": _department_table("survey-concerns", "concerns"),
    "survey-continuation": _department_table("survey-continuation", "continuation"),
    "survey-intent": _department_table("survey-intent", "intent"),
    "survey-wanted-forms": _department_table("survey-wanted-forms", "wanted_forms", _intent_is(0)),
    "survey-intent-reasons": _department_table("survey-intent-reasons", "not_wanted_reasons", _intent_is(1)),
    "survey-requests-to-groups": _by_record("survey-requests-to-groups", "requests_to_groups"),
    "survey-city-actions": _by_record("survey-city-actions", "city_actions"),
}
