"""ASVS 5: user text is escaped wherever it is shown; CSV/xlsx exports neutralise formula injection."""

import csv
import io
import re
from pathlib import Path

import pytest

from demo import factories as f

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>見守り'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
FORMULA = '=HYPERLINK("http://evil.example","クリック")'


def assert_inert(html: str):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert ESCAPED in html


@pytest.mark.django_db
def test_listing_text_posted_by_a_group_is_inert_wherever_shown(client, group_member, coordinator):
    org = group_member.organization_memberships.first().organization
    client.force_login(group_member)
    response = client.post(
        "/listings/new/",
        {
            "owner": org.party_id,
            "kind": "need",
            "title": f"タイトル{PAYLOAD}"[:100],
            "body": f"本文{PAYLOAD}",
            "problem": f"課題{PAYLOAD}",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from listings.models import Listing

    listing = Listing.objects.get()
    assert listing.body.startswith("本文<script>")  # stored as typed, escaped on output
    assert_inert(client.get(f"/listings/{listing.pk}/").content.decode())
    assert_inert(client.get("/my/listings/").content.decode())
    client.force_login(coordinator)
    assert_inert(client.get("/coordination/listings/").content.decode())
    assert_inert(client.get(f"/coordination/listings/{listing.pk}/").content.decode())


@pytest.mark.django_db
def test_published_listing_and_group_texts_are_inert_on_public_pages(client):
    org = f.OrganizationFactory(name=f"団体{PAYLOAD}", description=f"紹介{PAYLOAD}")
    listing = f.ListingFactory(owner=org.party, title=f"掲載{PAYLOAD}", body=f"本文{PAYLOAD}")
    for url in ("/", "/listings/", f"/listings/{listing.pk}/", "/groups/", f"/groups/{org.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


@pytest.mark.django_db
def test_interest_message_is_inert_in_the_thread(client, group_member):
    from organizations.permissions import party_ids_of  # noqa: F401

    org = group_member.organization_memberships.first().organization
    listing = f.ListingFactory(owner=org.party)
    interest = f.InterestFactory(listing=listing, message=f"相談{PAYLOAD}")
    client.force_login(group_member)
    response = client.get(f"/interests/{interest.pk}/")
    assert response.status_code == 200
    assert_inert(response.content.decode())


@pytest.mark.django_db
def test_data_request_text_is_inert_for_the_coordinator(client, organization, group_member, coordinator):
    client.force_login(group_member)
    client.post(f"/my/groups/{organization.pk}/data-requests/new/", {"kind": "correction", "body": PAYLOAD})
    from privacy.models import DataRequest

    client.force_login(coordinator)
    html = client.get(f"/coordination/data-requests/{DataRequest.objects.get().pk}/").content.decode()
    assert_inert(html)


@pytest.mark.django_db
def test_notification_text_is_inert(client, group_member):
    f.NotificationFactory(recipient=group_member, title=f"通知{PAYLOAD}", body=PAYLOAD)
    client.force_login(group_member)
    assert_inert(client.get("/notifications/").content.decode())


# --- exports -------------------------------------------------------------------------------------


def cells(content: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]


@pytest.mark.django_db
def test_open_data_csv_neutralises_formulas_in_group_and_listing_names(client):
    org = f.OrganizationFactory(name=FORMULA, description="+1+1")
    f.ListingFactory(owner=org.party, title="@SUM(1+1)", body="-2+3")
    for url in ("/opendata/organizations.csv", "/opendata/listings.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        values = cells(response.content)
        assert not [v for v in values if v[:1] in ("=", "+", "@")], url
    assert "'" + FORMULA in cells(client.get("/opendata/organizations.csv").content)


def test_safe_cell_quotes_every_formula_prefix():
    from core.spreadsheets import safe_cell

    for text in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("見守り") == "見守り" and safe_cell(-5) == -5


def test_every_csv_or_xlsx_writer_in_the_portal_goes_through_core_spreadsheets():
    """Only core/spreadsheets.py builds CSV/xlsx; every other module must use its helpers."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/", "staticfiles/")) or "/migrations/" in rel:
            continue
        if rel == "core/spreadsheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|\.to_csv\(", source):
            offenders.append(rel)
    assert offenders == []


def test_admin_exports_if_enabled_escape_formulas(settings):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
