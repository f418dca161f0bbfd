"""/mypage/: the coordinators' work queue and each party's own home."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from demo import factories as f
from listings.models import Interest, Listing
from organizations.models import ProfileRevision
from projects.models import Agreement, AgreementConfirmation, CollaborationProject, ReviewSheet
from stats import selectors

pytestmark = pytest.mark.django_db
URL = reverse("stats:dashboard")


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def queues(response):
    """{key: [item texts]} of every queue on the page."""
    found = {}
    for name in ("queues", "waiting", "overview"):
        for q in response.context.get(name) or []:
            found[q.key] = [item.text for item in q.items]
    return found


def counts(response):
    found = {}
    for name in ("queues", "waiting", "overview"):
        for q in response.context.get(name) or []:
            found[q.key] = q.count
    return found


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_login_redirect_is_the_dashboard(settings):
    assert settings.LOGIN_REDIRECT_URL == URL


# --- coordinators -------------------------------------------------------------------------------


class TestCoordinatorQueue:
    def test_pending_profile_revision_is_listed_with_a_link_to_its_review(self, client, coordinator):
        org = f.OrganizationFactory(name="NPO法人ひまわり子育ての会")
        revision = ProfileRevision.objects.create(organization=org, data={"name": org.name})
        response = get(client, coordinator)
        assert queues(response)["profiles"] == ["NPO法人ひまわり子育ての会"]
        assert reverse("organizations:profile_review", args=[revision.pk]) in response.content.decode()

    def test_approved_revision_is_not_listed(self, client, coordinator):
        ProfileRevision.objects.create(organization=f.OrganizationFactory(), data={}, status="approved")
        assert counts(get(client, coordinator))["profiles"] == 0

    def test_listing_under_review_is_listed(self, client, coordinator):
        listing = f.ListingFactory(title="海岸清掃の仲間募集", status="pending")
        f.ListingFactory(title="公開中のもの")
        response = get(client, coordinator)
        assert queues(response)["listings"] == [f"海岸清掃の仲間募集（{listing.owner.name}）"]
        assert reverse("listings:review", args=[listing.pk]) in response.content.decode()

    def test_interest_unanswered_for_more_than_seven_days_is_listed(self, client, coordinator):
        old = f.InterestFactory()
        recent = f.InterestFactory()
        answered = f.InterestFactory(answered_at=days_ago(1))
        Interest.objects.filter(pk__in=[old.pk, answered.pk]).update(created_at=days_ago(8))
        Interest.objects.filter(pk=recent.pk).update(created_at=days_ago(6))
        response = get(client, coordinator)
        assert queues(response)["interests"] == [f"{old.from_party.name} → {old.listing.title}"]
        assert reverse("listings:interest_detail", args=[old.pk]) in response.content.decode()

    def test_match_without_events_for_thirty_days_is_listed_unless_closed(self, client, coordinator):
        stale = f.MatchFactory(title="見守りの協働", stage="pre_meeting", last_event_at=days_ago(31))
        f.MatchFactory(title="動いている", stage="pre_meeting", last_event_at=days_ago(29))
        f.MatchFactory(title="成立済み", stage="established", last_event_at=days_ago(60))
        f.MatchFactory(title="不成立", stage="failed", last_event_at=days_ago(60))
        response = get(client, coordinator)
        assert queues(response)["stale_matches"] == ["見守りの協働（事前打ち合わせ）"]
        assert reverse("matching:match_detail", args=[stale.pk]) in response.content.decode()

    def test_this_weeks_meetings_and_events_are_listed(self, client, coordinator):
        now = timezone.localtime()
        monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        meeting = f.MeetingFactory(
            match=f.MatchFactory(title="子ども食堂"), starts_at=monday + datetime.timedelta(hours=10)
        )
        f.MeetingFactory(starts_at=monday + datetime.timedelta(days=7, hours=1))  # next week
        f.MeetingFactory(starts_at=monday + datetime.timedelta(hours=11), status="cancelled")
        event = f.ExchangeEventFactory(title="分野別交流会", starts_at=monday + datetime.timedelta(days=6, hours=13))
        f.ExchangeEventFactory(title="下書き", starts_at=monday + datetime.timedelta(hours=13), status="draft")
        f.ExchangeEventFactory(title="先週", starts_at=monday - datetime.timedelta(hours=1))
        response = get(client, coordinator)
        assert queues(response)["meetings"] == ["子ども食堂 事前打ち合わせ"]
        assert queues(response)["events"] == ["分野別交流会"]
        html = response.content.decode()
        assert reverse("matching:meeting_detail", args=[meeting.pk]) in html
        assert reverse("events:event_detail", args=[event.pk]) in html

    def test_pre_sheet_part_still_draft_thirty_days_after_project_creation_is_listed(self, client, coordinator):
        late = f.PreConfirmationPartFactory(sheet__project__title="遅れている事業")
        f.PreConfirmationPartFactory(sheet__project__title="新しい事業")
        f.PreConfirmationPartFactory(sheet__project__title="提出済み", status="submitted")
        CollaborationProject.objects.exclude(title="新しい事業").update(created_at=days_ago(31))
        response = get(client, coordinator)
        assert queues(response)["pre_parts"] == [f"遅れている事業（{late.participant.party.name}）"]
        assert reverse("projects:pre_sheet", args=[late.sheet.project_id]) in response.content.decode()

    def test_agreement_in_confirmation_for_more_than_fourteen_days_is_listed(self, client, coordinator):
        late = f.AgreementFactory(project__title="確認待ちの事業", status="confirming")
        f.AgreementFactory(project__title="最近送った", status="confirming")
        f.AgreementFactory(project__title="締結済み", status="fixed")
        Agreement.objects.exclude(project__title="最近送った").update(updated_at=days_ago(15))
        response = get(client, coordinator)
        assert queues(response)["agreements"] == ["確認待ちの事業（第1版）"]
        assert reverse("projects:agreement", args=[late.project_id]) in response.content.decode()

    def test_review_part_draft_thirty_days_after_review_opened_is_listed(self, client, coordinator):
        late = f.ReviewPartFactory(sheet__project__title="ふりかえり遅れ", sheet__project__status="reviewing")
        f.ReviewPartFactory(sheet__project__title="始めたばかり", sheet__project__status="reviewing")
        ReviewSheet.objects.filter(project__title="ふりかえり遅れ").update(created_at=days_ago(31))
        response = get(client, coordinator)
        assert queues(response)["review_parts"] == [f"ふりかえり遅れ（{late.participant.party.name}）"]
        assert reverse("projects:review_sheet", args=[late.sheet.project_id]) in response.content.decode()

    def test_follow_up_due_and_not_recorded_is_listed(self, client, coordinator):
        today = timezone.localdate()
        due = f.FollowUpFactory(project__title="3年目の確認", due_on=today)
        f.FollowUpFactory(project__title="来月", due_on=today + datetime.timedelta(days=30))
        f.FollowUpFactory(project__title="記録済み", due_on=today, recorded_on=today)
        response = get(client, coordinator)
        assert queues(response)["follow_ups"] == ["3年目の確認（1年後）"]
        assert reverse("projects:follow_up", args=[due.project_id, due.pk]) in response.content.decode()

    def test_mine_keeps_what_i_coordinate_and_the_shared_review_items(self, client, coordinator):
        other = f.make_coordinator()
        f.MatchFactory(title="私の案件", stage="pre_meeting", coordinator=coordinator, last_event_at=days_ago(40))
        f.MatchFactory(title="他の人の案件", stage="pre_meeting", coordinator=other, last_event_at=days_ago(40))
        f.FollowUpFactory(project__coordinator=other, due_on=timezone.localdate())
        f.ListingFactory(status="pending")
        everyone = get(client, coordinator)
        assert sorted(queues(everyone)["stale_matches"]) == [
            "他の人の案件（事前打ち合わせ）",
            "私の案件（事前打ち合わせ）",
        ]
        mine = get(client, coordinator, scope="mine")
        assert queues(mine)["stale_matches"] == ["私の案件（事前打ち合わせ）"]
        assert counts(mine)["follow_ups"] == 0
        assert counts(mine)["listings"] == 1  # review items are shared
        assert 'aria-current="page">自分の担当' in mine.content.decode()

    def test_counts_are_shown_at_a_glance_and_lists_are_capped(self, client, coordinator):
        for _ in range(12):
            f.ListingFactory(status="pending")
        response = get(client, coordinator)
        assert counts(response)["listings"] == 12
        assert len(queues(response)["listings"]) == 10
        html = response.content.decode()
        assert "ほか2件" in html
        assert 'href="#queue-listings"' in html

    def test_each_queue_lists_its_oldest_items_first(self, client, coordinator):
        today = timezone.localdate()
        for days in (5, 40, 12, 3, 60, 1, 30, 8, 90, 20, 2, 15):
            listing = f.ListingFactory(status="pending", title=f"{days}日前")
            Listing.objects.filter(pk=listing.pk).update(updated_at=days_ago(days))
            f.FollowUpFactory(project__title=f"{days}日前", due_on=today - datetime.timedelta(days=days))
        found = queues(get(client, coordinator))
        oldest = [f"{d}日前" for d in (90, 60, 40, 30, 20, 15, 12, 8, 5, 3)]
        assert [text.split("（")[0] for text in found["listings"]] == oldest
        assert [text.split("（")[0] for text in found["follow_ups"]] == oldest

    def test_empty_queues_count_zero(self, client, coordinator):
        f.ListingFactory(status="pending")
        found = counts(get(client, coordinator))
        assert found["listings"] == 1
        assert {key for key, n in found.items() if n == 0} == set(found) - {"listings"}

    def test_admin_gets_the_work_queue(self, client, admin_user):
        assert "profiles" in queues(get(client, admin_user))


def test_items_dates_follow_the_language_and_links_are_those_reverse_gives():
    moment = datetime.datetime(2026, 1, 5, 15, 7, tzinfo=datetime.UTC)  # 6 January 00:07 in Japan
    with translation.override("ja"):
        assert selectors._dt(moment) == "2026年1月6日 00:07"
        assert selectors._d(datetime.date(2026, 3, 9)) == "2026年3月9日"
    with translation.override("en"):
        assert "年" not in selectors._dt(moment) and "00:07" in selectors._dt(moment)
    assert selectors._url("projects:follow_up", 12, 2_000_001) == reverse("projects:follow_up", args=[12, 2_000_001])
    assert selectors._url("listings:review", 7) == reverse("listings:review", args=[7])


def fill_coordinator_queues(n, coordinator):
    """n items in every coordinator queue."""
    now = timezone.localtime()
    monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    dept = f.DepartmentFactory()
    for _ in range(n):
        ProfileRevision.objects.create(organization=f.OrganizationFactory(), data={})
        f.ListingFactory(status="pending", owner=dept.party if _ % 2 else f.OrganizationFactory().party)
        i = f.InterestFactory()
        Interest.objects.filter(pk=i.pk).update(created_at=days_ago(9))
        m = f.MatchFactory(stage="negotiating", last_event_at=days_ago(40), coordinator=coordinator)
        f.MeetingFactory(match=m, starts_at=monday + datetime.timedelta(hours=9))
        f.ExchangeEventFactory(starts_at=monday + datetime.timedelta(hours=18))
        f.PreConfirmationPartFactory(sheet__project__coordinator=coordinator)
        f.AgreementFactory(status="confirming", project__coordinator=coordinator)
        f.ReviewPartFactory(sheet__project__status="reviewing", sheet__project__coordinator=coordinator)
        f.FollowUpFactory(due_on=timezone.localdate(), project__coordinator=coordinator)
    CollaborationProject.objects.update(created_at=days_ago(40))
    Agreement.objects.update(updated_at=days_ago(20))
    ReviewSheet.objects.update(created_at=days_ago(40))


def queries_for(client, user, **params):
    client.force_login(user)
    client.get(URL, params)  # warm up per-process caches
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, params)
    return len(ctx)


# session, user, the user's roles, every queue's count and first items (one query), notices badge.
COORDINATOR_QUERIES = 4


@pytest.mark.parametrize("scope", ["all", "mine"])
def test_coordinator_dashboard_query_count_is_pinned(client, coordinator, django_assert_num_queries, scope):
    fill_coordinator_queues(1, coordinator)
    client.force_login(coordinator)
    response = client.get(URL, {"scope": scope})
    assert all(c == 1 for c in counts(response).values()), counts(response)
    with django_assert_num_queries(COORDINATOR_QUERIES):
        client.get(URL, {"scope": scope})
    fill_coordinator_queues(49, coordinator)
    response = client.get(URL, {"scope": scope})
    assert all(c == 50 for c in counts(response).values()), counts(response)
    with django_assert_num_queries(COORDINATOR_QUERIES):
        client.get(URL, {"scope": scope})


# --- the queue query, compiled once per process ------------------------------------------------------


@pytest.fixture
def compiles(monkeypatch):
    """The number of times a dashboard's queue query is built and compiled, from an empty cache."""
    monkeypatch.setattr(selectors, "_COMPILED", {})
    calls = []
    real = selectors._compile

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(selectors, "_compile", counting)
    return calls


def test_the_queue_query_is_compiled_once_and_still_shows_a_new_item_at_once(client, coordinator, compiles):
    assert counts(get(client, coordinator))["listings"] == 0
    listing = f.ListingFactory(title="海岸清掃の仲間募集", status="pending")
    assert queues(get(client, coordinator))["listings"] == [f"海岸清掃の仲間募集（{listing.owner.name}）"]
    Listing.objects.filter(pk=listing.pk).update(status="published")
    assert counts(get(client, coordinator))["listings"] == 0
    assert len(compiles) == 1


def test_the_compiled_query_takes_each_request_s_moment_and_coordinator(coordinator, compiles):
    other = f.make_coordinator()
    now = timezone.now()
    f.MatchFactory(title="私の案件", stage="pre_meeting", coordinator=coordinator, last_event_at=now)
    f.MatchFactory(title="他の人の案件", stage="pre_meeting", coordinator=other, last_event_at=now)
    f.MeetingFactory(match__title="来週の打ち合わせ", starts_at=now + datetime.timedelta(days=7))
    f.FollowUpFactory(
        project__title="来月", project__coordinator=other, due_on=now.date() + datetime.timedelta(days=30)
    )

    def found(user, when, key, mine=True):
        queue = {q.key: q for q in selectors.coordinator_queues(user, mine=mine, now=when)}[key]
        return [item.text for item in queue.items]

    assert found(coordinator, now, "stale_matches") == []
    later = now + datetime.timedelta(days=selectors.MATCH_STALE_DAYS + 1)
    assert found(coordinator, later, "stale_matches") == ["私の案件（事前打ち合わせ）"]
    assert found(other, later, "stale_matches") == ["他の人の案件（事前打ち合わせ）"]
    assert found(other, now + datetime.timedelta(days=31), "follow_ups") == ["来月（1年後）"]
    assert found(coordinator, now, "meetings", mine=False) == []
    next_week = now + datetime.timedelta(days=7)
    assert found(coordinator, next_week, "meetings", mine=False) == ["来週の打ち合わせ 事前打ち合わせ"]
    assert len(compiles) == 2  # the "mine" scope and everyone's


def test_parties_with_as_many_ids_share_the_compiled_query_and_each_sees_its_own(client, compiles):
    ours, theirs = f.OrganizationFactory(), f.OrganizationFactory()
    f.ListingFactory(owner=ours.party, title="わたしたちのニーズ")
    f.ListingFactory(owner=theirs.party, title="よそのニーズ")
    assert queues(get(client, f.make_group_member(ours)))["my_listings"] == ["わたしたちのニーズ"]
    assert queues(get(client, f.make_group_member(theirs)))["my_listings"] == ["よそのニーズ"]
    assert len(compiles) == 1


def test_queues_of_nobody_are_empty(db, compiles):
    spec = selectors._QueueRows(
        "owned",
        "owned",
        lambda i: Listing.objects.filter(owner__in=i.parties).order_by("id"),
        {},
        lambda r: selectors.Item("", ""),
    )
    f.ListingFactory()
    assert selectors._read_queues([spec], selectors._Inputs(timezone.now()))[0].count == 0


def test_a_rule_comparing_with_an_undeclared_moment_is_refused(db, compiles):
    spec = selectors._QueueRows(
        "recent",
        "recent",
        lambda i: Listing.objects.filter(updated_at__gt=i.now - datetime.timedelta(days=3)).order_by("id"),
        {},
        lambda r: selectors.Item("", ""),
    )
    with pytest.raises(ValueError, match="does not declare"):
        selectors._read_queues([spec], selectors._Inputs(timezone.now()))


# --- group members and department staff -----------------------------------------------------------


@pytest.fixture
def other_org():
    return f.OrganizationFactory(name="他の団体")


def project_with(*parties, **kwargs):
    project = f.CollaborationProjectFactory(**kwargs)
    participants = [f.ProjectParticipantFactory(project=project, party=p) for p in parties]
    return project, participants


class TestPartyHome:
    def test_member_without_any_party_gets_a_hint(self, client, db):
        response = get(client, f.UserFactory())
        assert "まだ団体や担当課に所属していません" in response.content.decode()

    def test_group_member_sees_their_listings_interests_matches_and_projects(
        self, client, group_member, organization, other_org
    ):
        mine = f.ListingFactory(owner=organization.party, title="わたしたちのニーズ")
        f.ListingFactory(owner=other_org.party, title="よそのニーズ")
        f.InterestFactory(listing=mine, from_party=other_org.party)
        f.InterestFactory(from_party=organization.party, listing=f.ListingFactory(title="関心をもったシーズ"))
        f.InterestFactory(from_party=other_org.party, listing=f.ListingFactory(title="よその相談先"))
        match = f.MatchFactory(title="一緒の案件", stage="pre_meeting")
        f.MatchParticipantFactory(match=match, party=organization.party)
        f.MatchParticipantFactory(match=f.MatchFactory(title="よその案件", stage="pre_meeting"), party=other_org.party)
        draft = f.MatchFactory(title="まだ提案前", stage="proposed")
        f.MatchParticipantFactory(match=draft, party=organization.party)
        project_with(organization.party, title="わたしたちの事業")
        project_with(other_org.party, title="よその事業")
        response = get(client, group_member)
        found = queues(response)
        assert found["my_listings"] == ["わたしたちのニーズ"]
        assert found["interests_received"] == ["他の団体 → わたしたちのニーズ"]
        assert found["interests_sent"] == ["関心をもったシーズ"]
        assert found["my_matches"] == ["一緒の案件"]
        assert found["my_projects"] == ["わたしたちの事業"]
        html = response.content.decode()
        for other in ("よそのニーズ", "よその相談先", "よその案件", "よその事業", "まだ提案前"):
            assert other not in html
        assert "profiles" not in found  # no coordinator queue

    def test_match_awaiting_their_response_waits_for_them(self, client, group_member, organization, other_org):
        match = f.MatchFactory(title="承諾をお願いします", stage="awaiting")
        f.MatchParticipantFactory(match=match, party=organization.party)
        f.MatchParticipantFactory(match=match, party=other_org.party, response="accepted")
        answered = f.MatchFactory(title="もう答えた", stage="awaiting")
        f.MatchParticipantFactory(match=answered, party=organization.party, response="accepted")
        theirs = f.MatchFactory(title="よその承諾待ち", stage="awaiting")
        f.MatchParticipantFactory(match=theirs, party=other_org.party)
        response = get(client, group_member)
        assert queues(response)["awaiting_response"] == [f"承諾をお願いします（{organization.name}）"]
        assert reverse("matching:match_detail", args=[match.pk]) in response.content.decode()

    def test_returned_listing_waits_for_them_with_the_reason(self, client, group_member, organization, other_org):
        returned = f.ListingFactory(
            owner=organization.party, title="直すニーズ", status="returned", return_reason="対象地域を書いてください"
        )
        f.ListingFactory(owner=organization.party, title="公開中", status="published")
        f.ListingFactory(owner=other_org.party, title="よその差戻し", status="returned", return_reason="x")
        response = get(client, group_member)
        [queue] = [q for q in response.context["waiting"] if q.key == "returned_listings"]
        assert [(i.text, i.meta) for i in queue.items] == [("直すニーズ", "差戻しの理由：対象地域を書いてください")]
        html = response.content.decode()
        assert reverse("listings:edit", args=[returned.pk]) in html and "よその差戻し" not in html
        assert response.context["total"] >= 1

    def test_unanswered_interest_in_their_listing_waits_for_them(self, client, group_member, organization, other_org):
        f.InterestFactory(
            listing=f.ListingFactory(owner=organization.party, title="返信して"), from_party=other_org.party
        )
        f.InterestFactory(
            listing=f.ListingFactory(owner=organization.party, title="返信済み"), answered_at=timezone.now()
        )
        f.InterestFactory(listing=f.ListingFactory(owner=other_org.party, title="よその受信"))
        assert queues(get(client, group_member))["interests_to_answer"] == ["他の団体 → 返信して"]

    def test_pre_sheet_part_to_fill_waits_for_them(self, client, group_member, organization, other_org):
        project, (mine, theirs) = project_with(organization.party, other_org.party, title="準備中の事業")
        sheet = f.PreConfirmationSheetFactory(project=project)
        f.PreConfirmationPartFactory(sheet=sheet, participant=mine)
        f.PreConfirmationPartFactory(sheet=sheet, participant=theirs)
        response = get(client, group_member)
        assert queues(response)["pre_parts_to_fill"] == [f"準備中の事業（{organization.name}）"]
        assert reverse("projects:pre_sheet", args=[project.pk]) in response.content.decode()

    def test_agreement_to_confirm_waits_until_they_confirmed(self, client, group_member, organization, other_org):
        project, (mine, theirs) = project_with(organization.party, other_org.party, title="確認書の事業")
        agreement = f.AgreementFactory(project=project, status="confirming")
        AgreementConfirmation.objects.create(
            agreement=agreement, participant=theirs, confirmed_by=f.UserFactory(), confirmed_at=timezone.now()
        )
        assert queues(get(client, group_member))["agreements_to_confirm"] == [f"確認書の事業（{organization.name}）"]
        AgreementConfirmation.objects.create(
            agreement=agreement, participant=mine, confirmed_by=group_member, confirmed_at=timezone.now()
        )
        assert counts(get(client, group_member))["agreements_to_confirm"] == 0

    def test_draft_agreement_does_not_wait_for_them(self, client, group_member, organization):
        project, _ = project_with(organization.party)
        f.AgreementFactory(project=project, status="draft")
        assert counts(get(client, group_member))["agreements_to_confirm"] == 0

    def test_review_part_to_fill_waits_for_them(self, client, group_member, organization, other_org):
        project, (mine, theirs) = project_with(
            organization.party, other_org.party, title="ふりかえる事業", status="reviewing"
        )
        sheet = f.ReviewSheetFactory(project=project)
        f.ReviewPartFactory(sheet=sheet, participant=mine)
        f.ReviewPartFactory(sheet=sheet, participant=theirs, status="submitted")
        response = get(client, group_member)
        assert queues(response)["review_parts_to_fill"] == [f"ふりかえる事業（{organization.name}）"]
        assert reverse("projects:review_sheet", args=[project.pk]) in response.content.decode()

    def test_upcoming_meeting_of_their_match_is_shown(self, client, group_member, organization, other_org):
        match = f.MatchFactory(title="打ち合わせ予定", stage="pre_meeting")
        f.MatchParticipantFactory(match=match, party=organization.party)
        f.MeetingFactory(match=match, starts_at=timezone.now() + datetime.timedelta(days=2))
        other = f.MatchFactory(title="よその打ち合わせ", stage="pre_meeting")
        f.MatchParticipantFactory(match=other, party=other_org.party)
        f.MeetingFactory(match=other, starts_at=timezone.now() + datetime.timedelta(days=2))
        assert queues(get(client, group_member))["upcoming_meetings"] == ["打ち合わせ予定 事前打ち合わせ"]

    def test_department_staff_see_their_departments_items_only(self, client, department_staff, department, other_org):
        other_dept = f.DepartmentFactory(name="よその課")
        f.ListingFactory(owner=department.party, title="協働テーマ")
        f.ListingFactory(owner=other_dept.party, title="よその課のテーマ")
        match = f.MatchFactory(title="課への提案", stage="awaiting")
        f.MatchParticipantFactory(match=match, party=department.party)
        other = f.MatchFactory(title="よその課への提案", stage="awaiting")
        f.MatchParticipantFactory(match=other, party=other_dept.party)
        project, (mine,) = project_with(department.party, title="課の事業")
        f.AgreementFactory(project=project, status="confirming")
        other_project, _ = project_with(other_dept.party, title="よその課の事業")
        f.AgreementFactory(project=other_project, status="confirming")
        response = get(client, department_staff)
        found = queues(response)
        assert found["my_listings"] == ["協働テーマ"]
        assert found["awaiting_response"] == [f"課への提案（{department.name}）"]
        assert found["agreements_to_confirm"] == [f"課の事業（{department.name}）"]
        assert found["my_projects"] == ["課の事業"]
        html = response.content.decode()
        for text in ("よその課のテーマ", "よその課への提案", "よその課の事業"):
            assert text not in html

    def test_group_member_never_sees_the_coordinator_queue(self, client, group_member):
        f.ListingFactory(status="pending", title="審査待ちの他団体ニーズ")
        ProfileRevision.objects.create(organization=f.OrganizationFactory(name="申請中の団体"), data={})
        response = get(client, group_member, scope="all")
        html = response.content.decode()
        assert "審査待ちの他団体ニーズ" not in html and "申請中の団体" not in html
        assert "profiles" not in queues(response) and "pre_parts" not in queues(response)


def fill_party_queues(n, org, other):
    for _ in range(n):
        for party in (org.party, other.party):
            m = f.MatchFactory(stage="awaiting")
            f.MatchParticipantFactory(match=m, party=party)
            f.MeetingFactory(match=m)
            listing = f.ListingFactory(owner=party)
            f.ListingFactory(owner=party, status="returned", return_reason="理由")
            f.InterestFactory(listing=listing)
            f.InterestFactory(from_party=party)
            project, (p,) = project_with(party)
            f.PreConfirmationPartFactory(sheet=f.PreConfirmationSheetFactory(project=project), participant=p)
            f.AgreementFactory(project=project, status="confirming")
            project2, (p2,) = project_with(party, status="reviewing")
            f.ReviewPartFactory(sheet=f.ReviewSheetFactory(project=project2), participant=p2)


# session, user, the user's roles and parties, all eleven queues (one query), notices badge.
PARTY_QUERIES = 4


def test_party_home_query_count_is_pinned(client, group_member, organization, other_org, django_assert_num_queries):
    fill_party_queues(1, organization, other_org)
    client.force_login(group_member)
    response = client.get(URL)
    assert counts(response)["awaiting_response"] == 1
    assert counts(response)["my_projects"] == 2
    with django_assert_num_queries(PARTY_QUERIES):
        client.get(URL)
    fill_party_queues(49, organization, other_org)
    response = client.get(URL)
    assert counts(response)["awaiting_response"] == 50
    assert counts(response)["agreements_to_confirm"] == 50
    assert counts(response)["review_parts_to_fill"] == 50
    assert counts(response)["returned_listings"] == 50
    with django_assert_num_queries(PARTY_QUERIES):
        client.get(URL)
