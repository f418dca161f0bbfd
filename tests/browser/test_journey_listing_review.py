"""Journey (issue 4, review path): a group posts a need, a coordinator returns it, the group fixes it, the
coordinator publishes it, department staff find it with a Japanese search and send interest, the
group is told by notice and e-mail and replies."""

import re

from django.urls import reverse

from demo import factories as f
from listings.models import Interest, Listing
from organizations.models import ActivityField
from tests.browser.support import assert_accessible

TITLE = "子ども食堂のボランティア募集"


def test_need_is_returned_fixed_published_found_and_answered_in_the_browser(new_context, live_server, mailoutbox):
    # Reference data may have been flushed by an earlier transactional test: make sure the field exists.
    ActivityField.objects.get_or_create(
        number=13, defaults={"name": "子どもの健全育成を図る活動", "short_name": "子どもの健全育成"}
    )
    coordinator = f.make_coordinator(email="coord@example.jp")
    organization = f.OrganizationFactory(name="みなと子ども食堂の会")
    member = f.make_group_member(organization, email="member@example.jp")
    department = f.DepartmentFactory(name="子育て支援課", parent=f.DivisionFactory(name="こども育成部"))
    staff = f.make_department_staff(department, email="staff@example.jp")
    url = live_server.url

    # The group posts a need and asks for review.
    group = new_context(user=member).new_page()
    group.goto(url + reverse("listings:create"))
    group.get_by_label("タイトル").fill(TITLE)
    group.get_by_label("内容").fill("週末の子ども食堂で調理と見守りを手伝ってくれる仲間を探しています。")
    group.get_by_label("解決したい地域の課題").fill("子どもが週末に安心して過ごせる場所が足りません。")
    group.get_by_label("子どもの健全育成").check()
    assert_accessible(group)
    group.get_by_role("button", name="保存して審査を申請").click()
    group.get_by_text("審査を申請しました").wait_for()

    # The coordinator returns it with a reason.
    coord = new_context(user=coordinator).new_page()
    coord.goto(url + reverse("listings:review_queue"))
    coord.get_by_role("link", name=TITLE).click()
    assert_accessible(coord)
    coord.get_by_label("差戻しの理由").fill("活動日と場所を書いてください。")
    coord.get_by_role("button", name="差戻す").click()
    coord.get_by_text("差戻しました").wait_for()

    # The group sees the reason, fixes the text and resubmits.
    group.goto(url + reverse("listings:mine"))
    group.get_by_role("link", name=TITLE).click()
    group.get_by_text("活動日と場所を書いてください。").first.wait_for()
    group.get_by_role("link", name="編集").click()
    group.get_by_label("内容").fill(
        "毎週土曜日に中央公民館で子ども食堂を開いています。調理と見守りのボランティアを募集します。"
    )
    group.get_by_role("button", name="保存して審査を申請").click()
    group.get_by_text("審査を申請しました").wait_for()

    # The coordinator publishes it with the checklist.
    coord.goto(url + reverse("listings:review_queue"))
    coord.get_by_role("link", name=TITLE).click()
    coord.get_by_label("会員のみでなく不特定多数の利益（公益性）がある").check()
    coord.get_by_role("button", name="公開する").click()
    coord.get_by_text("公開しました").wait_for()
    assert Listing.objects.get(title=TITLE).status == Listing.Status.PUBLISHED

    # Department staff find it with a Japanese search (full-width space, hiragana for katakana).
    dept = new_context(user=staff).new_page()
    dept.goto(url + reverse("listings:index"))
    dept.get_by_label("キーワード").fill("子ども食堂　ぼらんてぃあ")
    dept.locator("main").get_by_role("button", name="検索").click()
    assert_accessible(dept)
    dept.get_by_role("link", name=TITLE).click()
    dept.get_by_label("メッセージ").fill("子育て支援課です。公民館の紹介と広報でご協力できます。")
    dept.get_by_label("提供できること・一緒にできること").fill("会場の紹介、市の広報紙への掲載")
    assert_accessible(dept)
    dept.get_by_role("button", name="送信する").click()
    dept.get_by_text("相談・関心表明を送信しました").wait_for()

    # The group receives a notice (badge in the navigation) and an e-mail, and replies.
    assert any(m.to == [member.email] and TITLE in m.subject for m in mailoutbox)
    group.goto(url + reverse("notifications:list"))
    assert_accessible(group)
    group.get_by_role("button", name=re.compile("相談・関心表明が届きました")).first.click()
    group.get_by_label("返信").fill("ありがとうございます。来週お打ち合わせをお願いします。")
    group.get_by_role("button", name="返信する").click()
    group.get_by_text("返信しました").wait_for()
    interest = Interest.objects.get()
    assert interest.answered_at is not None
    dept.goto(url + reverse("listings:interest_detail", args=[interest.pk]))
    dept.get_by_text("来週お打ち合わせをお願いします").wait_for()
