"""Journey (a): a group signs up, verifies its e-mail, registers its profile, a coordinator
approves it and the public directory and group page show it."""

import re

from django.urls import reverse

from demo import factories as f
from tests.browser.support import assert_accessible, by_label, field_feedback

PASSWORD = "minato-kodomo-2025"


def test_group_signs_up_registers_its_profile_and_is_published_after_review(
    new_context, live_server, mailoutbox, tmp_path
):
    coordinator = f.make_coordinator(email="coord@example.jp")
    f.AreaFactory(name="中央地区", name_kana="ちゅうおうちく")

    # A group's representative signs up and follows the link in the e-mail.
    page = new_context().new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="団体の新規登録").click()
    by_label(page, "メールアドレス").fill("kodomo@example.jp")
    by_label(page, "パスワード").fill(PASSWORD)
    by_label(page, "パスワード (再入力)").fill(PASSWORD)
    by_label(page, "姓").fill("海野")
    by_label(page, "名").fill("陽子")
    by_label(page, "姓（よみがな）").fill("うみの")
    by_label(page, "名（よみがな）").fill("ようこ")
    page.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", level=1).wait_for()
    assert len(mailoutbox) == 1, "one verification e-mail is sent"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.get_by_role("button", name="確認する").click()
    if "/accounts/login/" in page.url:
        by_label(page, "メールアドレス").fill("kodomo@example.jp")
        by_label(page, "パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()

    # It registers its profile; a first try with mistakes shows the messages beside the fields.
    page.goto(live_server.url + reverse("organizations:my_organizations"))
    page.get_by_role("link", name="新しく団体を登録する").click()
    # Too long: the browser's maxlength stops typing, so take it off as a pasted or scripted text would.
    by_label(page, "団体名（よみがな）").evaluate("el => el.removeAttribute('maxlength')")
    by_label(page, "団体名（よみがな）").fill("みなと" * 70)
    by_label(page, "団体の種別").select_option(label="任意団体")
    by_label(page, "団体の紹介").fill("港地区で月2回、子ども食堂を開いています。")
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("これは画像ではありません")
    by_label(page, "ロゴ画像").set_input_files(str(not_an_image))
    page.get_by_role("button", name="登録して審査を申請する").click()
    assert "必須" in field_feedback(page, "name")
    assert "200" in field_feedback(page, "name_kana")
    assert field_feedback(page, "logo")
    assert by_label(page, "団体名（よみがな）").input_value() == "みなと" * 70
    assert by_label(page, "団体の種別").locator("option:checked").inner_text() == "任意団体"
    assert by_label(page, "団体の紹介").input_value() == "港地区で月2回、子ども食堂を開いています。"
    assert_accessible(page)  # the form with its error messages

    by_label(page, "団体名").fill("みなと子ども食堂の会")
    by_label(page, "団体名（よみがな）").fill("みなとこどもしょくどうのかい")
    by_label(page, "ロゴ画像").set_input_files([])
    by_label(page, "主な活動地区").select_option(label="中央地区")
    page.get_by_role("button", name="登録して審査を申請する").click()
    page.get_by_text("コーディネーターの確認後に公開されます").first.wait_for()

    # Not public before the review.
    public = new_context().new_page()
    public.goto(live_server.url + reverse("organizations:directory") + "?q=子ども食堂")
    assert public.get_by_role("link", name="みなと子ども食堂の会").count() == 0

    # The coordinator approves it from the review queue.
    coord = new_context(user=coordinator).new_page()
    coord.goto(live_server.url + reverse("organizations:profile_review_queue"))
    coord.get_by_role("link", name=re.compile("みなと子ども食堂の会")).first.click()
    coord.get_by_role("button", name="承認して公開する").click()
    coord.wait_for_url("**" + reverse("organizations:profile_review_queue"))

    # Now anyone finds it in the directory by a Japanese search and opens its page.
    public.goto(live_server.url + reverse("organizations:directory"))
    search = by_label(public, "キーワード")
    search.fill("子ども食堂")
    search.press("Enter")
    public.get_by_role("link", name="みなと子ども食堂の会").click()
    public.get_by_role("heading", level=1, name="みなと子ども食堂の会").wait_for()
    assert public.get_by_text("港地区で月2回、子ども食堂を開いています。").is_visible()
