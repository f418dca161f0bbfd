"""Journey (e): a coordinator logs in with a password and a TOTP code, reads the dashboard and
downloads a statistics table as CSV. And the keyboard-only use of the listing filter."""

import csv
import io
import re

import pytest
from django.urls import reverse

from demo.factories import DEMO_PASSWORD
from demo.mfa import give_totp, totp_code
from tests.browser.city import build_city
from tests.browser.support import assert_accessible, by_label


@pytest.fixture
def city(db):
    return build_city()


def test_coordinator_logs_in_with_totp_reads_the_dashboard_and_downloads_a_statistics_csv(
    new_context, live_server, city, settings
):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    give_totp(city.coordinator)
    page = new_context().new_page()
    page.goto(live_server.url + reverse("account_login"))

    # A wrong password is refused with a message and the e-mail address kept.
    by_label(page, "メールアドレス").fill("coord@example.jp")
    by_label(page, "パスワード").fill("wrong-password-123")
    page.get_by_role("button", name="ログイン").click()
    page.locator(".alert-danger, .invalid-feedback").first.wait_for()
    assert by_label(page, "メールアドレス").input_value() == "coord@example.jp"

    by_label(page, "パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = page.locator("input[name='code']")
    code.fill(totp_code())
    code.press("Enter")
    page.wait_for_url("**" + reverse("stats:dashboard"))
    page.get_by_role("heading", level=1, name=re.compile("マイページ")).wait_for()
    # The work queue names what waits: the pre-confirmation sheets of the new projects.
    assert page.get_by_role("heading", level=2).count() >= 3
    assert_accessible(page)

    page.goto(live_server.url + reverse("stats:index"))
    page.get_by_role("link", name="協働の形態別・年度別の事業数", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator("figure svg[role='img']").count() >= 1
    assert page.locator("main table").count() >= 1, "the chart comes with its table"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="協働の形態別・年度別の事業数（CSV）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: PTH123
    rows = list(csv.reader(io.StringIO(text)))
    assert any("委託" in cell for row in rows for cell in row), rows[:5]


def test_listing_filter_is_usable_with_the_keyboard_alone(new_context, live_server, city):
    page = new_context().new_page()
    page.goto(live_server.url + reverse("listings:index"))
    # The skip link comes first and moves the focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "本文へ移動"
    page.keyboard.press("Enter")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.name || document.activeElement.textContent.trim()")
        reached.append(name)
        if name == "q":
            break
    assert reached[-1] == "q", f"Tab never reached the keyword field: {reached}"
    page.keyboard.type("子ども食堂")
    # Focus is visible on each filter control (the outline from portal.css or Bootstrap's ring).
    order = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
                 return [el.name || el.textContent.trim(), s.outlineStyle !== 'none' || s.boxShadow !== 'none'] }"""
        )
        order.append(focused[0])
        assert focused[1], f"no visible focus on {focused[0]}"
        if focused[0] == "検索":
            break
    assert order[-1] == "検索", f"Tab order through the filter: {order}"
    for field in ("kind", "side", "field", "form", "department", "area", "open_now"):
        assert field in order, f"{field} is not reachable with Tab: {order}"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E5%AD%90"))
    assert page.get_by_role("link", name="子ども食堂の会場を探しています").count() == 1
    assert page.get_by_role("link", name="公民館の会議室を貸し出せます").count() == 0
