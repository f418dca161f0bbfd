"""Each role from its first login to its first finished task, with the mistakes a newcomer makes,
in Japanese and in English (issue #17): a group posts a need (and takes it back from review to fix
it), department staff post a collaboration theme, a coordinator proposes a match with the party
picker. axe-core checks the pages along the way, at 1280 px and 375 px."""

import pytest
from django.conf import settings
from django.urls import reverse

from demo import factories as f
from listings.models import Listing
from matching.models import Match
from tests.browser.support import PHONE, assert_accessible, assert_no_horizontal_scroll, field_feedback

TEXT = {
    "ja": {
        "post_need": "ニーズ・シーズを掲載する",
        "theme_heading": "協働テーマ・協働メニューを掲載する",
        "required": "必須",
        "withdraw": "申請を取り下げて編集する",
        "pending": "審査中",
        "draft": "下書き",
        "period": "終了日は開始日以降",
        "two": "2つ以上",
    },
    "en": {
        "post_need": "Post a need or seed",
        "theme_heading": "Post a collaboration theme or menu item",
        "required": "required",
        "withdraw": "Withdraw and edit",
        "pending": "Under review",
        "draft": "Draft",
        "period": "end date",
        "two": "two or more",
    },
}


def _context(new_context, live_server, user, lang, viewport=None):
    kwargs = {"user": user} if viewport is None else {"user": user, "viewport": viewport}
    context = new_context(**kwargs)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context


def _fill_listing(page, title, field_label_index=0):
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("週末の子ども食堂で、調理と見守りを手伝ってくれる仲間を探しています。")
    page.locator("input[name='activity_fields']").nth(field_label_index).check()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_group_posts_its_first_need_and_takes_it_back_to_fix_it(new_context, live_server, lang):
    t = TEXT[lang]
    organization = f.OrganizationFactory(name="みなと子ども食堂の会")
    member = f.make_group_member(organization, email="kodomo@example.jp")
    page = _context(new_context, live_server, member, lang).new_page()

    # From the group's page the next step is offered.
    page.goto(live_server.url + organization.get_absolute_url())
    page.get_by_role("link", name=t["post_need"]).click()
    assert page.locator("#id_owner").input_value() == str(organization.party_id)
    assert_accessible(page)

    # Submitting an empty form: the messages stand beside the fields, nothing is saved.
    page.locator("button[name='submit']").click()
    assert t["required"] in field_feedback(page, "title").lower()
    assert t["required"] in field_feedback(page, "body").lower()
    assert not Listing.objects.exists()
    assert_accessible(page)

    _fill_listing(page, "子ども食堂のボランティア募集")
    page.locator("button[name='submit']").click()
    page.get_by_text(t["withdraw"]).wait_for()
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.PENDING

    # A mistake noticed while under review: take it back, fix it, submit again.
    page.get_by_role("button", name=t["withdraw"]).click()
    page.wait_for_url("**" + listing.get_absolute_url())
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DRAFT
    page.goto(live_server.url + reverse("listings:edit", args=[listing.pk]))
    page.locator("#id_title").fill("子ども食堂の調理ボランティア募集")
    page.locator("button[name='submit']").click()
    page.get_by_text(t["withdraw"]).wait_for()
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("子ども食堂の調理ボランティア募集", Listing.Status.PENDING)

    # The phone layout of the listing page.
    phone = _context(new_context, live_server, member, lang, viewport=PHONE).new_page()
    phone.goto(live_server.url + listing.get_absolute_url())
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_department_staff_post_their_first_collaboration_theme(new_context, live_server, lang):
    t = TEXT[lang]
    department = f.DepartmentFactory(name="子育て支援課", parent=f.DivisionFactory(name="こども育成部"))
    staff = f.make_department_staff(department, email="kosodate@example.jp")
    page = _context(new_context, live_server, staff, lang).new_page()

    page.goto(live_server.url + reverse("listings:mine"))
    page.get_by_role("link", name=t["theme_heading"]).click()
    page.get_by_role("heading", level=1, name=t["theme_heading"]).wait_for()
    assert_accessible(page)

    # The period the wrong way round: the message stands at the end date, the input stays.
    _fill_listing(page, "子育て中の親子が集える居場所づくり")
    page.locator("#id_period_start").fill("2027-03-31")
    page.locator("#id_period_end").fill("2026-04-01")
    page.locator("button[name='submit']").click()
    assert t["period"] in field_feedback(page, "period_end").lower()
    assert page.locator("#id_title").input_value() == "子育て中の親子が集える居場所づくり"
    assert not Listing.objects.exists()
    assert_accessible(page)

    page.locator("#id_period_end").fill("2028-03-31")
    page.locator("button[name='submit']").click()
    page.get_by_text(t["pending"]).first.wait_for()
    listing = Listing.objects.get()
    assert listing.owner == department.party and listing.status == Listing.Status.PENDING


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_coordinator_proposes_a_first_match_with_the_party_picker(new_context, live_server, lang):
    t = TEXT[lang]
    coordinator = f.make_coordinator(email="coord@example.jp")
    group = f.OrganizationFactory(name="ひまわり子育てネットワーク", name_kana="ひまわりこそだてねっとわーく")
    department = f.DepartmentFactory(name="子育て支援課", name_kana="こそだてしえんか")
    page = _context(new_context, live_server, coordinator, lang).new_page()

    page.goto(live_server.url + reverse("matching:match_create"))
    page.locator("#id_title").fill("親子の居場所づくり")
    # Type a reading; the department appears and a tick makes it a chip.
    page.locator("#id_parties-q").fill("こそだてしえん")
    page.locator(f"#id_parties-r{department.party_id}").check()
    page.locator(f"[data-party-chips] #id_parties-r{department.party_id}").wait_for()
    assert_accessible(page)

    # Only one participant: refused beside the field, the choice and the title are kept.
    page.locator("form button.btn-primary[type='submit']").last.click()
    assert t["two"] in field_feedback(page, "parties").lower()
    assert page.locator(f"[data-party-chips] input[value='{department.party_id}']").is_checked()
    assert page.locator("#id_title").input_value() == "親子の居場所づくり"
    assert not Match.objects.exists()

    # A second search does not lose the first choice.
    page.locator("#id_parties-q").fill("ひまわり")
    page.locator(f"#id_parties-r{group.party_id}").check()
    page.locator(f"[data-party-chips] #id_parties-r{group.party_id}").wait_for()
    assert page.locator("[data-party-chips] input:checked").count() == 2
    page.locator("form button.btn-primary[type='submit']").last.click()
    page.wait_for_url("**/matches/*/")
    match = Match.objects.get()
    assert set(match.participants.values_list("party_id", flat=True)) == {group.party_id, department.party_id}
    assert_accessible(page)


# Every visible link, box and button of the header ends inside the window.
HEADER_INSIDE_THE_PAGE = """() => [...document.querySelectorAll('.portal-header a, .portal-header input, .portal-header button')]
    .filter(e => e.offsetParent).every(e => e.getBoundingClientRect().right <= window.innerWidth)"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_visitors_header_stays_inside_the_page_at_1280(new_context, live_server, lang):
    """Japanese fits one row; the longer English labels move the search box and log-in links to a second
    row instead of cutting 'Group sign-up' off at the right edge."""
    page = _context(new_context, live_server, None, lang).new_page()
    page.goto(live_server.url + reverse("portal:home"))
    assert page.evaluate(HEADER_INSIDE_THE_PAGE), "a header link runs off the page"
    tops = page.eval_on_selector_all(
        ".portal-header .navbar-nav .nav-link", "els => els.filter(e => e.offsetParent).map(e => e.offsetTop)"
    )
    if lang == "ja":
        assert len(set(tops)) == 1, tops


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_header_menu_is_one_row_and_the_board_fits_at_1280(new_context, live_server, lang):
    coordinator = f.make_coordinator(email="coord@example.jp", family_name="長谷川", given_name="由美子")
    page = _context(new_context, live_server, coordinator, lang).new_page()
    page.goto(live_server.url + reverse("matching:board"))
    tops = page.eval_on_selector_all(
        ".portal-header .navbar-nav .nav-link", "els => els.filter(e => e.offsetParent).map(e => e.offsetTop)"
    )
    assert len(tops) > 8 and len(set(tops)) == 1, tops
    assert page.evaluate(HEADER_INSIDE_THE_PAGE), "a header link runs off the page"
    board = page.locator("#board")
    assert board.evaluate("el => el.scrollWidth <= el.clientWidth"), "the board's columns scroll sideways"
    assert_accessible(page)
