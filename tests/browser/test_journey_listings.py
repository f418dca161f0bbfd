"""Journey (b): a group posts a need, the coordinator publishes it, a department finds it with a
Japanese search and shows interest; the group sees the interest."""

import re

from django.urls import reverse

from demo import factories as f
from tests.browser.support import assert_accessible, by_label, field_feedback

BODY = "毎週土曜日に子ども食堂を開いています。調理室のある会場を一緒に探してくださる方を募集します。"


def test_group_posts_a_need_coordinator_publishes_department_finds_it_and_shows_interest(
    new_context, live_server, tmp_path
):
    org = f.OrganizationFactory(name="NPO法人みなと子ども食堂ネット", name_kana="みなとこどもしょくどうねっと")
    rep = f.make_group_member(org, email="rep@example.jp")
    dept = f.DepartmentFactory(name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory())
    staff = f.make_department_staff(dept, email="staff@example.jp")
    coordinator = f.make_coordinator(email="coord@example.jp")
    f.ListingFactory(owner=dept.party, title="公園清掃のボランティア募集", body="公園の清掃を一緒に行います。")

    # The group writes its need; the first try has mistakes.
    group = new_context(user=rep).new_page()
    group.goto(live_server.url + reverse("listings:mine"))
    group.goto(live_server.url + reverse("listings:create"))
    by_label(group, "タイトル").evaluate("el => el.removeAttribute('maxlength')")
    by_label(group, "タイトル").fill("会場" * 101)
    by_label(group, "内容").fill(BODY)
    by_label(group, "解決したい地域の課題").fill("放課後にひとりで過ごす子どもが増えています。")
    script = tmp_path / "会場一覧.exe"
    script.write_bytes(b"MZ\x90\x00 not a document")
    by_label(group, "添付ファイルを追加").set_input_files(str(script))
    group.get_by_role("button", name="保存して審査を申請").click()
    assert "200" in field_feedback(group, "title")
    assert field_feedback(group, "attachment")
    assert by_label(group, "内容").input_value() == BODY
    assert_accessible(group)

    by_label(group, "タイトル").fill("")
    group.get_by_role("button", name="保存して審査を申請").click()
    assert "必須" in field_feedback(group, "title")
    assert by_label(group, "内容").input_value() == BODY

    by_label(group, "タイトル").fill("子ども食堂の会場を探しています")
    by_label(group, "添付ファイルを追加").set_input_files([])
    group.get_by_role("button", name="保存して審査を申請").click()
    group.get_by_text("子ども食堂の会場を探しています").first.wait_for()

    # The coordinator publishes it from the review queue.
    coord = new_context(user=coordinator).new_page()
    coord.goto(live_server.url + reverse("listings:review_queue"))
    coord.get_by_role("link", name=re.compile("子ども食堂の会場を探しています")).first.click()
    coord.get_by_label(re.compile("公益性")).check()
    coord.get_by_label("市の計画・施策に沿っている").check()
    coord.get_by_label("担当課が明記され、同意している").check()
    coord.get_by_role("button", name="公開する").click()
    coord.wait_for_url("**" + reverse("listings:review_queue") + "*")

    # A department's staff member finds it with a Japanese keyword.
    staff_page = new_context(user=staff).new_page()
    staff_page.goto(live_server.url + reverse("listings:index"))
    by_label(staff_page, "キーワード").fill("子ども食堂")
    staff_page.locator("main").get_by_role("button", name="検索").click()
    staff_page.wait_for_url(re.compile(r"q="))
    results = staff_page.get_by_role("link", name="子ども食堂の会場を探しています")
    assert staff_page.get_by_role("link", name="公園清掃のボランティア募集").count() == 0
    results.first.click()
    staff_page.get_by_role("heading", level=1, name="子ども食堂の会場を探しています").wait_for()

    # Shows interest; an empty message is refused first, the other field's text is kept.
    by_label(staff_page, "提供できること・一緒にできること").fill("市の施設（公民館の調理室）の利用を調整できます。")
    staff_page.get_by_role("button", name="送信する").click()
    assert field_feedback(staff_page, "message")
    assert by_label(staff_page, "提供できること・一緒にできること").input_value().startswith("市の施設")
    by_label(staff_page, "メッセージ").fill("子育て支援課です。会場探しにご協力できます。一度お話を伺えますか。")
    staff_page.get_by_role("button", name="送信する").click()
    staff_page.get_by_text("相談・関心表明を送信しました").wait_for()

    # The group sees it among the interests in its listings.
    group.goto(live_server.url + reverse("listings:interest_list"))
    assert group.get_by_text("子育て支援課").first.is_visible()
