"""Reads of the survey shared by services, views, the import and the report."""

from collections import Counter, defaultdict

from django.db.models import Count, Q

from organizations.models import Department
from projects.models import CollaborationProject

from .models import ProjectAnswer, Survey, SurveyResponse
from .questions import CURRENT, LAST_YEAR_ONLY, NEVER, PAST_ONLY


def surveyed_departments():
    """The sections (課) of city hall: every department under a 部, as Musashino asked every 課."""
    return Department.objects.filter(parent__isnull=False)


def department_records(fiscal_year: int, department_ids=None) -> dict[int, tuple[int, list[int]]]:
    """Each section's category (①–④) for the surveyed year and the projects it answers about.

    From the portal's projects up to that year (a project runs from fiscal_year_start to
    fiscal_year_end, to its start year when no end is set):
    ① running in the year and before it, ② running in the year only, ③ running before it only,
    ④ never. ①② answer about the projects running in the year, ③ about those of its last year.
    """
    departments = surveyed_departments()
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
    ids = list(departments.values_list("pk", flat=True))
    projects = defaultdict(list)
    for pk, dept, start, end in CollaborationProject.objects.filter(
        department_id__in=ids, fiscal_year_start__lte=fiscal_year
    ).values_list("pk", "department_id", "fiscal_year_start", "fiscal_year_end"):
        projects[dept].append((pk, start, max(start, end or start)))
    records = {}
    for dept in ids:
        mine = projects.get(dept, [])
        now = [pk for pk, start, last in mine if last >= fiscal_year]
        past = [(pk, last) for pk, start, last in mine if start < fiscal_year]
        if now and past:
            records[dept] = (CURRENT, sorted(now))
        elif now:
            records[dept] = (LAST_YEAR_ONLY, sorted(now))
        elif past:
            latest = max(last for _pk, last in past)
            records[dept] = (PAST_ONLY, sorted(pk for pk, last in past if last == latest))
        else:
            records[dept] = (NEVER, [])
    return records


def progress(survey: Survey) -> tuple[list[SurveyResponse], Counter]:
    """回収状況: every department's questionnaire with its state, and the count per state."""
    responses = list(
        survey.responses.select_related("department__parent", "submitted_by").order_by(
            "department__parent__order", "department__order", "department__name_kana", "id"
        )
    )
    return responses, Counter(r.status for r in responses)


def responses_to_answer(user):
    """Questionnaires of the user's departments in open surveys that are not submitted yet."""
    return responses_to_answer_for(user.department_ids)


def responses_to_answer_for(department_ids):
    """responses_to_answer of the departments `department_ids` (the dashboard's query takes ids)."""
    return (
        SurveyResponse.objects.for_departments(department_ids)
        .filter(survey__status=Survey.Status.OPEN)
        .exclude(status=SurveyResponse.Status.SUBMITTED)
        .order_by("survey__deadline", "id")
    )


def surveys_with_counts():
    return Survey.objects.annotate(
        n_responses=Count("responses"),
        n_submitted=Count("responses", filter=Q(responses__status=SurveyResponse.Status.SUBMITTED)),
    ).order_by("-fiscal_year")


def project_answers_of(response: SurveyResponse) -> list[ProjectAnswer]:
    return list(
        response.project_answers.select_related("project").prefetch_related(
            "project__forms", "project__participants__party__organization", "project__participants__party__department"
        )
    )
