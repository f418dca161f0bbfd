"""The read-only API: public data only, filters, pagination, conditional GETs, CORS, rate limit and
problem+json errors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import factories as f
from events.models import ExchangeEvent
from listings.models import Listing
from organizations.models import ActivityField, CollaborationForm
from projects.models import CaseStudy
from stats.tables import build_table

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/organizations/",
    "/api/v1/departments/",
    "/api/v1/listings/",
    "/api/v1/events/",
    "/api/v1/case-studies/",
    "/api/v1/activity-fields/",
    "/api/v1/collaboration-forms/",
    "/api/v1/areas/",
    "/api/v1/menu/",
    "/api/v1/stats/",
]


@pytest.fixture
def world():
    """One of each public record, and one unpublished twin of each, with a private contact person."""
    field = ActivityField.objects.get(number=6)
    form = CollaborationForm.objects.get(code="co_hosting")
    org = f.OrganizationFactory(name="子育てひろばの会", activity_fields=[field], open_forms=[form])
    f.ContactPersonFactory(organization=org, name="秘密太郎", email="secret-person@example.jp", phone="090-0000-1111")
    hidden_org = f.OrganizationFactory(name="未公開の会", is_published=False, review_status="pending")
    dept = f.DepartmentFactory(name="子育て支援課")
    listing = f.ListingFactory(
        owner=org.party, title="子育て広場の担い手募集", activity_fields=[field], collaboration_forms=[form]
    )
    theme = f.ListingFactory(owner=dept.party, title="親子の居場所づくり", body="子育て中の親子の孤立を防ぐ")
    draft = f.ListingFactory(owner=org.party, title="下書きの募集", status=Listing.Status.DRAFT, published_at=None)
    event = f.ExchangeEventFactory(title="公開の交流会")
    draft_event = f.ExchangeEventFactory(title="下書きの交流会", status=ExchangeEvent.Status.DRAFT)
    project = f.CollaborationProjectFactory(title="公開事例の事業", department=dept, forms=[form])
    f.ProjectParticipantFactory(project=project, party=org.party)
    case = CaseStudy.objects.create(
        project=project, summary="事例の概要", is_published=True, published_at=timezone.now()
    )
    hidden_project = f.CollaborationProjectFactory(title="非公開事例の事業", department=dept)
    CaseStudy.objects.create(project=hidden_project, summary="非公開の事例")
    return {
        "field": field,
        "form": form,
        "org": org,
        "hidden_org": hidden_org,
        "dept": dept,
        "listing": listing,
        "theme": theme,
        "draft": draft,
        "event": event,
        "draft_event": draft_event,
        "case": case,
    }


def test_lists_show_only_published_records(client, world):
    listings = client.get("/api/v1/listings/").json()
    titles = {item["title"] for item in listings["results"]}
    assert titles == {"子育て広場の担い手募集", "親子の居場所づくり"}
    orgs = {item["name"] for item in client.get("/api/v1/organizations/").json()["results"]}
    assert "子育てひろばの会" in orgs and "未公開の会" not in orgs
    events = {item["title"] for item in client.get("/api/v1/events/").json()["results"]}
    assert events == {"公開の交流会"}
    cases = client.get("/api/v1/case-studies/").json()["results"]
    assert [c["title"] for c in cases] == ["公開事例の事業"]
    assert cases[0]["partners"] == ["子育てひろばの会"]


@pytest.mark.parametrize(
    "path",
    [
        lambda w: f"/api/v1/listings/{w['draft'].pk}/",
        lambda w: f"/api/v1/organizations/{w['hidden_org'].pk}/",
        lambda w: f"/api/v1/events/{w['draft_event'].pk}/",
        lambda w: f"/feeds/events/{w['draft_event'].pk}.ics",
    ],
)
def test_unpublished_details_are_404_for_every_role(client, world, path, coordinator, admin_user):
    for user in (None, coordinator, admin_user, f.make_group_member(world["org"])):
        if user:
            client.force_login(user)
        assert client.get(path(world)).status_code == 404


def test_private_data_never_appears_in_any_endpoint_for_any_role(client, world, coordinator, admin_user):
    """The API ignores sessions: a coordinator or admin sees exactly what an anonymous client sees,
    and no contact person, member, draft or hidden record appears anywhere."""
    details = [
        f"/api/v1/organizations/{world['org'].pk}/",
        f"/api/v1/departments/{world['dept'].pk}/",
        f"/api/v1/listings/{world['listing'].pk}/",
        f"/api/v1/events/{world['event'].pk}/",
        f"/api/v1/case-studies/{world['case'].pk}/",
    ]
    secrets = ["秘密太郎", "secret-person@example.jp", "090-0000-1111", "下書きの募集", "未公開の会", "下書きの交流会"]
    secrets += ["非公開の事例", "coord@example.jp", "admin@example.jp", "member@example.jp"]
    f.make_group_member(world["org"], email="member@example.jp")
    anonymous = {url: client.get(url).content for url in LISTS + details}
    for user in (coordinator, admin_user):
        client.force_login(user)
        for url, body in anonymous.items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content == body, url
            text = response.content.decode()
            assert not [s for s in secrets if s in text], url
        client.logout()


def test_filters_match_the_pages(client, world):
    def titles(query):
        response = client.get("/api/v1/listings/", query)
        assert response.status_code == 200, response.content
        return {item["title"] for item in response.json()["results"]}

    assert titles({"q": "子育て"}) == {"子育て広場の担い手募集", "親子の居場所づくり"}
    assert titles({"q": "子育て 広場"}) == {"子育て広場の担い手募集"}  # every word must match
    assert titles({"field": 6}) == {"子育て広場の担い手募集"}
    assert titles({"form": "co_hosting"}) == {"子育て広場の担い手募集"}
    assert titles({"side": "department"}) == {"親子の居場所づくり"}
    assert titles({"department": world["dept"].pk}) == {"親子の居場所づくり"}
    orgs = client.get("/api/v1/organizations/", {"field": 6}).json()["results"]
    assert [o["name"] for o in orgs] == ["子育てひろばの会"]


@pytest.mark.parametrize(
    "query",
    [{"field": "999"}, {"field": "abc"}, {"department": "x"}, {"page": "abc"}, {"page_size": "0"}],
)
def test_bad_parameters_are_problem_json_4xx(client, world, query):
    response = client.get("/api/v1/listings/", query)
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code and body["title"] and body["detail"]


def test_a_nul_in_a_parameter_is_refused(client):
    assert client.get("/api/v1/listings/", {"q": "\x00"}).status_code == 400  # core's RejectNulMiddleware


def test_problem_json_follows_the_language(client):
    ja = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="ja").json()
    en = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert ja["title"] == "見つかりません"
    assert en["title"] == "Not found"
    assert en["status"] == ja["status"] == 404


def test_pagination_is_stable_and_bounded(client):
    owner = f.OrganizationFactory().party
    when = timezone.now()
    for _ in range(7):  # the same published_at: the id breaks the tie
        f.ListingFactory(owner=owner, published_at=when)
    first = client.get("/api/v1/listings/", {"page_size": 4}).json()
    second = client.get("/api/v1/listings/", {"page_size": 4, "page": 2}).json()
    ids = [i["id"] for i in first["results"] + second["results"]]
    assert first["count"] == 7 and len(ids) == 7 == len(set(ids))
    assert ids == sorted(ids, reverse=True)
    assert len(client.get("/api/v1/listings/", {"page_size": 5000}).json()["results"]) == 7  # capped at 200


def test_unchanged_data_answers_304_and_a_change_does_not(client, world):
    first = client.get("/api/v1/listings/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/api/v1/listings/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/listings/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    Listing.objects.filter(pk=world["listing"].pk).update(
        title="題名を変えました", updated_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    assert client.get("/api/v1/listings/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get("/api/v1/listings/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 200
    detail = client.get(f"/api/v1/listings/{world['listing'].pk}/")
    assert client.get(f"/api/v1/listings/{world['listing'].pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_cors_allows_get_from_anywhere_for_the_api_only(client):
    api = client.get("/api/v1/areas/", HTTP_ORIGIN="https://civictech.example.org")
    assert api["Access-Control-Allow-Origin"] == "*"
    page = client.get("/listings/", HTTP_ORIGIN="https://civictech.example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_rate_limit_answers_429_with_retry_after(client, monkeypatch):
    from api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    statuses = [client.get("/api/v1/areas/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="ja")
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["title"] == "リクエストが多すぎます"
    # another client address has its own allowance
    assert client.get("/api/v1/areas/", REMOTE_ADDR="192.0.2.10").status_code == 200


def test_statistics_are_the_same_tables_as_the_pages(client):
    project = f.CollaborationProjectFactory(fiscal_year_start=2023)
    project.forms.set([CollaborationForm.objects.get(code="co_hosting")])
    body = client.get("/api/v1/stats/form-share/", {"fy_from": 2021, "fy_to": 2024}).json()
    table = build_table("form-share", 2021, 2024)
    assert body["header"] == table.header
    assert body["rows"] == [[float(c) if hasattr(c, "as_tuple") else c for c in row] for row in table.rows]
    names = [t["name"] for t in client.get("/api/v1/stats/").json()]
    assert "form-share" in names and "funnel" in names


@pytest.mark.parametrize(
    "query", [{"fy_from": 2025, "fy_to": 2020}, {"fy_from": "令和"}, {"fy_to": 99999}, {"fy_from": 1990}]
)
def test_statistics_refuse_bad_years(client, query):
    response = client.get("/api/v1/stats/form-share/", query)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_unknown_statistics_table_is_404(client):
    assert client.get("/api/v1/stats/no-such-table/").status_code == 404


def test_openapi_document_and_documentation_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/listings/", "/api/v1/stats/{name}/", "/api/v1/menu/"} <= set(schema["paths"])
    page = client.get("/api/v1/")
    assert page.status_code == 200
    assert "/api/v1/listings/" in page.content.decode()
    assert "Not found" not in client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize(
    "url", ["/api/v1/listings/", "/api/v1/organizations/", "/api/v1/events/", "/api/v1/case-studies/"]
)
def test_list_queries_do_not_grow_with_rows(client, url):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"page_size": 100}).status_code == 200
        return len(ctx)

    def add(n):
        for _ in range(n):
            org = f.OrganizationFactory(activity_fields=[ActivityField.objects.get(number=1)])
            f.ListingFactory(owner=org.party, activity_fields=[ActivityField.objects.get(number=2)])
            f.ExchangeEventFactory()
            project = f.CollaborationProjectFactory()
            f.ProjectParticipantFactory(project=project, party=org.party)
            CaseStudy.objects.create(project=project, summary="s", is_published=True, published_at=timezone.now())

    add(1)
    one = count()
    add(49)
    assert count() == one


def test_a_list_is_served_from_the_cache_until_a_row_of_its_kind_changes(client, world):
    first = client.get("/api/v1/listings/")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/api/v1/listings/")
    assert again.json() == first.json()
    assert len(ctx) == 1  # the newest change of the kind, the cache key's stamp
    listing = Listing.objects.get(title="子育て広場の担い手募集")
    listing.title = "子育て広場の担い手を募集"
    listing.save()
    titles = [row["title"] for row in client.get("/api/v1/listings/").json()["results"]]
    assert "子育て広場の担い手を募集" in titles
    assert client.get("/api/v1/listings/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["kind_label"].isascii()


def test_a_cached_list_keeps_the_scheme_of_its_page_links(client, world):
    """The page links are absolute: a list first asked for over http is not served to https."""
    assert client.get("/api/v1/listings/?page_size=1").json()["next"].startswith("http://")
    assert client.get("/api/v1/listings/?page_size=1", secure=True).json()["next"].startswith("https://")
