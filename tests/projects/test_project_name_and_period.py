"""A project's own name, the agreement's default period, confirmation outside it, a history without
duplicates (issue #17, item 6)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDenied
from demo import factories as f
from projects import services
from projects.models import CollaborationProject

from .conftest import REVIEW_DATA, agree

pytestmark = pytest.mark.django_db
Status = CollaborationProject.Status


@pytest.mark.parametrize(
    ("theme", "name"),
    [
        ("プレーパークの運営を担う団体を募集します", "プレーパークの運営"),
        ("海岸清掃を一緒に進める団体を募集します。", "海岸清掃"),
        ("子育てサロンの協力団体を募集します", "子育てサロン"),
        ("地域の見守り活動", "地域の見守り活動"),
        ("団体を募集します", "団体を募集します"),
    ],
)
def test_default_name_drops_the_recruiting_sentence(theme, name):
    assert services.project_title_from(theme) == name


def test_rename_records_who_and_when_once(project, people):
    services.project_rename(
        actor=people.group_rep, project=project, title="  子ども食堂マップ  ", version=project.version
    )
    project.refresh_from_db()
    assert project.title == "子ども食堂マップ"
    last = project.history.order_by("-history_id").first()
    assert last.history_user == people.group_rep and last.history_change_reason == "事業名の変更"


def test_rename_is_refused_to_staff_who_do_not_sign_and_to_outsiders(project, people):
    for user in (people.dept_staff, people.group_editor, people.outsider):
        with pytest.raises(PermissionDenied):
            services.project_rename(actor=user, project=project, title="乗っ取り", version=project.version)


def test_rename_with_a_stale_version_is_a_conflict(project, people):
    services.project_rename(actor=people.coordinator, project=project, title="一回目", version=project.version)
    with pytest.raises(ConflictError):
        services.project_rename(actor=people.coordinator, project=project, title="二回目", version=project.version)


def test_rename_page_keeps_input_and_shows_error_next_to_the_field(client, project, people):
    client.force_login(people.coordinator)
    url = reverse("projects:rename", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "version": project.version})
    assert response.status_code == 200 and response.context["form"].errors["title"]
    response = client.post(url, {"title": "子ども食堂マップ", "version": project.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "子ども食堂マップ"


def test_rename_page_refuses_a_forged_post_by_department_staff(client, project, people):
    client.force_login(people.dept_staff)
    response = client.post(reverse("projects:rename", args=[project.pk]), {"title": "x", "version": project.version})
    assert response.status_code == 403


def test_agreement_period_never_starts_in_the_past(project, people):
    agreement = agree(project, people)  # the project's fiscal year 2025 is over
    today = timezone.localdate()
    assert agreement.period_start == today
    assert agreement.period_end >= today


def test_agreement_period_follows_the_theme(people):
    today = timezone.localdate()
    listing = f.ListingFactory(
        period_start=today + datetime.timedelta(days=30), period_end=today + datetime.timedelta(days=200)
    )
    match = f.MatchFactory(title=listing.title)
    match.listings.add(listing)
    project = f.CollaborationProjectFactory(
        match=match, fiscal_year_start=today.year - 1, fiscal_year_end=today.year + 1
    )
    assert services.agreement_default_period(project, today=today) == (listing.period_start, listing.period_end)


def test_agreement_period_ignores_a_theme_period_already_over(people):
    today = datetime.date(2026, 12, 6)
    listing = f.ListingFactory(period_start=datetime.date(2026, 4, 1), period_end=datetime.date(2026, 6, 30))
    match = f.MatchFactory()
    match.listings.add(listing)
    project = f.CollaborationProjectFactory(match=match, fiscal_year_start=2026)
    assert services.agreement_default_period(project, today=today) == (today, datetime.date(2027, 3, 31))


def test_start_outside_the_agreement_period_needs_confirmation(project, people):
    agreement = agree(project, people)
    before = agreement.period_start - datetime.timedelta(days=1)
    with pytest.raises(services.OutsidePeriodError, match="確認書の期間"):
        services.project_start(actor=people.coordinator, project=project, started_on=before)
    project.refresh_from_db()
    assert project.status == Status.AGREED
    services.project_start(actor=people.coordinator, project=project, started_on=before, outside_period_confirmed=True)
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS and project.started_on == before


def test_start_page_without_the_checkbox_says_why(client, project, people):
    agreement = agree(project, people)
    client.force_login(people.coordinator)
    url = reverse("projects:start", args=[project.pk])
    later = agreement.period_end + datetime.timedelta(days=1)
    response = client.post(url, {"started_on": later.isoformat()}, follow=True)
    assert any("確認書の期間" in str(m) for m in response.context["messages"])
    client.post(url, {"started_on": later.isoformat(), "outside_period_confirmed": "on"})
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS


def _to_review(project, people):
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    sheet = project.review_sheet
    for part in sheet.parts.select_related("participant__party"):
        user = people.dept_staff if part.participant.party_id == people.dept.party_id else people.group_rep
        services.review_part_save(actor=user, part=part, data=REVIEW_DATA, version=None, submit=True)
    return sheet


def test_complete_outside_the_agreement_period_needs_confirmation(project, people):
    sheet = _to_review(project, people)
    late = project.agreements.get().period_end + datetime.timedelta(days=10)
    kwargs = {"agreed_improvements": "毎月の共有", "outcome": "good", "completed_on": late}
    with pytest.raises(services.OutsidePeriodError):
        services.project_complete(actor=people.coordinator, project=project, version=sheet.version, **kwargs)
    services.project_complete(
        actor=people.coordinator, project=project, version=sheet.version, outside_period_confirmed=True, **kwargs
    )
    project.refresh_from_db()
    assert project.status == Status.COMPLETED


def test_history_lists_each_action_once(project, people):
    sheet = _to_review(project, people)
    services.project_complete(
        actor=people.coordinator,
        project=project,
        agreed_improvements="毎月の共有",
        outcome="good",
        version=sheet.version,
    )
    reasons = list(project.history.values_list("history_change_reason", flat=True))
    assert len(reasons) == len(set(reasons)), reasons
    for reason in ("協働事業確認書の締結", "事業の開始", "ふりかえりの確定と事業の完了"):
        assert reasons.count(reason) == 1


def test_start_page_refuses_a_malformed_date_instead_of_starting_today(client, project, people):
    agree(project, people)
    client.force_login(people.coordinator)
    url = reverse("projects:start", args=[project.pk])
    response = client.post(url, {"started_on": "2025-13-45"}, follow=True)
    assert any("開始日" in str(m) for m in response.context["messages"])
    project.refresh_from_db()
    assert project.status == Status.AGREED and project.started_on is None
