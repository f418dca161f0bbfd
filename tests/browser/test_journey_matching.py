"""Journey (c): a coordinator pairs a department's collaboration theme with a group from the
suggestions, both accept, a pre-meeting is scheduled and recorded, and the match reaches 成立.
And the pipeline board: its department type-ahead and a card moved in place with htmx."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from matching.models import Match
from tests.browser.support import assert_accessible, by_label, field_feedback
from tests.matching.helpers import make_match

AGENDA = "目的の共有、役割分担、会場と費用の確認"


def test_coordinator_pairs_a_theme_with_a_group_and_takes_the_match_to_established(new_context, live_server):
    org = f.OrganizationFactory(name="NPO法人みなと子ども食堂ネット", name_kana="みなとこどもしょくどうねっと")
    rep = f.make_group_member(org, email="rep@example.jp")
    dept = f.DepartmentFactory(name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory())
    staff = f.make_department_staff(dept, email="staff@example.jp")
    coordinator = f.make_coordinator(email="coord@example.jp")
    theme = f.ListingFactory(
        owner=dept.party, title="子どもの居場所を増やしたい", body="子ども食堂や学習支援など、子どもの居場所づくり。"
    )
    f.ListingFactory(
        owner=org.party,
        kind="seed",
        title="子ども食堂の運営ノウハウ",
        body="子ども食堂と居場所づくりの経験があります。",
    )

    # From the theme's suggestions the coordinator proposes a match with the group.
    coord = new_context(user=coordinator).new_page()
    coord.goto(live_server.url + reverse("matching:suggestions", args=[theme.pk]))
    assert_accessible(coord)
    coord.get_by_role("link", name="マッチングを提案").first.click()
    # The theme's department and the suggested group come chosen (chips); the type-ahead adds others.
    for chosen in (org.name, dept.name):
        assert coord.get_by_text(chosen).first.is_visible()
    by_label(coord, "件名").fill("子ども食堂と子育て支援課の協働")
    by_label(coord, "概要").fill("子ども食堂の会場と広報を一緒に考えます。")
    coord.get_by_role("button", name="提案する").click()
    coord.get_by_role("button", name="参加者に打診する").click()
    coord.wait_for_load_state()
    match_url = coord.url

    # Both sides accept.
    for user in (rep, staff):
        page = new_context(user=user).new_page()
        page.goto(match_url)
        page.get_by_label("承諾する").check()
        page.get_by_label("コメント").fill("ぜひお話ししたいです。")
        page.get_by_role("button", name="回答を送る").click()
        page.wait_for_load_state()

    # The coordinator schedules the pre-meeting; mistakes first.
    coord.goto(match_url)
    coord.get_by_role("link", name=re.compile("打ち合わせ")).first.click()
    by_label(coord, "場所").evaluate("el => el.removeAttribute('maxlength')")
    by_label(coord, "場所").fill("市民活動サポートセンター" * 20)
    by_label(coord, "議題").fill(AGENDA)
    coord.get_by_role("button", name="登録して参加者に通知する").click()
    assert field_feedback(coord, "starts_at")
    if coord.locator(".invalid-feedback").count():  # the server answered (the browser let it through)
        assert "200" in field_feedback(coord, "place")
    assert by_label(coord, "議題").input_value() == AGENDA

    start = timezone.localtime() - datetime.timedelta(hours=2)
    by_label(coord, "開始日時").fill(start.strftime("%Y-%m-%dT%H:%M"))
    by_label(coord, "場所").fill("市民活動サポートセンター 会議室A")
    coord.get_by_role("button", name="登録して参加者に通知する").click()
    coord.get_by_role("button", name="記録する（開催済みにする）").wait_for()

    # It records the minutes, moves the match to 協議中 and then to 成立.
    by_label(coord, "議事録").fill("双方の目的を確認し、夏休みに試行することで合意した。")
    by_label(coord, "次の行動").first.fill("会場候補を3か所挙げる")
    coord.get_by_role("button", name="記録する（開催済みにする）").click()
    coord.wait_for_load_state()
    coord.goto(match_url)
    coord.get_by_role("button", name="協議中にする").click()
    coord.wait_for_load_state()
    coord.get_by_role("button", name=re.compile(r"^「?成立")).click()
    coord.wait_for_load_state()
    coord.goto(match_url)
    assert coord.get_by_text("成立", exact=True).first.is_visible()
    match = Match.objects.get()
    assert match.stage == Match.Stage.ESTABLISHED
    assert match.meetings.get().minutes.startswith("双方の目的を確認し")

    # The group sees the match as 成立 too.
    group = new_context(user=rep).new_page()
    group.goto(match_url)
    assert group.get_by_text("成立", exact=True).first.is_visible()


def test_coordinator_narrows_the_board_to_a_department_and_moves_a_card_in_place(new_context, live_server):
    coordinator = f.make_coordinator(email="coord@example.jp")
    kosodate = f.DepartmentFactory(
        name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory(name="こども未来局")
    )
    match, _, _ = make_match(coordinator, department=kosodate, title="子ども食堂の会場探し")
    make_match(coordinator, title="海岸清掃の協働")  # another department's
    stale, _, _ = make_match(coordinator, stage="negotiating", department=kosodate, title="親子サロンの継続")
    Match.objects.filter(pk=stale.pk).update(last_event_at=timezone.now() - datetime.timedelta(days=40))

    board = new_context(user=coordinator).new_page()
    board.goto(live_server.url + reverse("matching:board"))
    assert_accessible(board)
    assert board.locator(f"#match-{stale.pk}.stale").is_visible()

    # The department filter: type part of the name, pick the department from the list that appears.
    by_label(board, "担当課").fill("子育て")
    board.get_by_role("link", name="こども未来局 子育て支援課").click()
    board.wait_for_load_state()
    assert board.get_by_text("選択中：こども未来局 子育て支援課").is_visible()
    assert board.get_by_role("link", name="海岸清掃の協働").count() == 0
    assert_accessible(board)

    # The card's plain form, submitted by htmx: the board is swapped in place and says what happened.
    url = board.url
    board.get_by_label("子ども食堂の会場探しの移動先").select_option(label="参加者に打診する")
    board.locator(f"#move-submit-{match.pk}").click()
    board.locator("#board-status").get_by_text("「参加者の承諾待ち」にしました").wait_for()
    assert board.url == url
    awaiting = board.locator("section", has=board.locator("#col-awaiting"))
    assert awaiting.get_by_role("link", name="子ども食堂の会場探し").is_visible()
    # htmx puts the focus back on the button of the swapped-in card.
    assert board.evaluate("() => document.activeElement.id") == f"move-submit-{match.pk}"
    match.refresh_from_db()
    assert match.stage == Match.Stage.AWAITING
    assert_accessible(board)
