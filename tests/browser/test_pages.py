"""Every main page: zero axe-core WCAG 2.1 A/AA violations at desktop and phone width, no sideways
scrolling on a phone, and a navigation that opens on a phone."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.browser.support import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll


@pytest.fixture
def portal(db):
    """A small city: a published group with a published need, a department, a coordinator."""
    organization = f.OrganizationFactory(name="NPO法人みなと子ども食堂ネット", name_kana="みなとこどもしょくどうねっと")
    member = f.make_group_member(organization, email="rep@example.jp")
    department = f.DepartmentFactory(name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory())
    staff = f.make_department_staff(department, email="kosodate@example.jp")
    coordinator = f.make_coordinator(email="coord@example.jp")
    listing = f.ListingFactory(owner=organization.party, title="子ども食堂の会場を探しています")
    f.ListingFactory(owner=department.party, kind="seed", title="公民館の会議室を貸し出せます")
    return {
        "organization": organization,
        "member": member,
        "department": department,
        "staff": staff,
        "coordinator": coordinator,
        "listing": listing,
    }


# name -> (who is logged in or None, how to build the URL from the `portal` data)
PAGES = {
    "home": (None, lambda d: reverse("core:home")),
    "privacy": (None, lambda d: reverse("core:privacy")),
    "login": (None, lambda d: reverse("account_login")),
    "signup": (None, lambda d: reverse("account_signup")),
    "listing_detail": (None, lambda d: reverse("listings:detail", args=[d["listing"].pk])),
    "not_found": (None, lambda d: "/no-such-page/"),
}


def open_page(new_context, live_server, portal, name, viewport):
    who, url = PAGES[name]
    user = portal[who] if who else None
    page = new_context(viewport=viewport, user=user).new_page()
    page.goto(live_server.url + url(portal))
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_violations(new_context, live_server, portal, name, viewport):
    page = open_page(new_context, live_server, portal, name, viewport)
    assert page.locator("h1").count() == 1, "a page has exactly one <h1>"
    assert_accessible(page)
    if viewport is PHONE:
        assert_no_horizontal_scroll(page)


def test_styles_and_scripts_are_served_by_the_live_server(new_context, live_server, portal):
    page = new_context().new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if "/static/" in r.url and r.status >= 400 else None)
    page.goto(live_server.url + "/")
    # Bootstrap's CSS is applied (the container is centred with a max width) and its JS is loaded.
    assert page.evaluate("() => getComputedStyle(document.querySelector('main.container')).maxWidth") != "none"
    assert page.evaluate("() => typeof window.bootstrap === 'object'")
    assert not failed


@pytest.mark.parametrize("who", [None, "member"])
def test_phone_navigation_opens_with_the_menu_button(new_context, live_server, portal, who):
    page = new_context(viewport=PHONE, user=portal[who] if who else None).new_page()
    page.goto(live_server.url + "/")
    menu = page.locator("#main-nav")
    toggler = page.get_by_role("button", name="メニューを開く")
    assert menu.is_hidden()
    toggler.click()
    menu.get_by_role("link", name="ホーム").wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert_no_horizontal_scroll(page)
