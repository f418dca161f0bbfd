"""The programme's pages: forms keep input and show errors by the field; pages ask the workflow."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from proposals import services
from proposals.models import Call, Proposal
from tests.proposals.factories import CallFactory, ProposalFactory

PS = Proposal.Status
PROJECT_PAGE_QUERIES = 13
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def call_post(**extra):
    data = {
        "title": "令和7年度 市民提案型協働推進事業",
        "call_type": "citizen",
        "fiscal_year": 2025,
        "description": "提案を募集します",
        "eligibility": "市内の団体",
        "deadline": (timezone.localtime() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "cap_per_project": 3000000,
        "cap_total": 10000000,
        "criteria_text": "公益性:3\n実現性:2",
    }
    return data | extra


def proposal_post(cast, **extra):
    data = {
        "applicant": cast.org.party_id,
        "department": cast.dept.pk,
        "title": "放課後の居場所づくり",
        "purpose": "子どもの居場所",
        "content": "週1回の学習支援",
        "local_problem": "放課後に一人の子ども",
        "beneficiaries": "小学生",
        "public_interest": "地域の子ども全体",
        "roles": "団体: 運営 / 市: 会場",
        "budget_total": 1000000,
        "city_share_requested": 800000,
        "term_year": 1,
    }
    return data | extra


def test_coordinator_creates_a_call_and_a_bad_criteria_line_is_shown_by_the_field(client, cast):
    login(client, cast.coordinator)
    response = client.post(reverse("proposals:call_create"), call_post(criteria_text="公益性"))
    assert response.status_code == 200
    assert "1行目" in response.content.decode()
    assert 'value="令和7年度 市民提案型協働推進事業"' in response.content.decode()
    assert not Call.objects.filter(title="令和7年度 市民提案型協働推進事業").exists()
    response = client.post(reverse("proposals:call_create"), call_post(reviewers=[cast.reviewer1.pk]))
    call = Call.objects.get(title="令和7年度 市民提案型協働推進事業")
    assert response.status_code == 302 and call.status == Call.Status.DRAFT
    assert [c.weight for c in call.criteria.all()] == [3, 2]
    client.post(reverse("proposals:call_action", args=[call.pk, "open"]))
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN


def test_the_public_call_page_shows_schedule_themes_and_criteria(client, cast):
    from demo import factories as f

    call = CallFactory(call_type="administration", presentation_on=datetime.date(2025, 12, 6))
    call.themes.create(listing=f.ListingFactory(owner=cast.dept.party, title="子育てサロンの運営", status="published"))
    page = client.get(call.get_absolute_url()).content.decode()
    assert "子育てサロンの運営" in page and "子育て支援課" in page
    assert "公開プレゼンテーション" in page and "公益性" in page
    assert "ログインすると団体として提案できます。" in page


def test_a_draft_call_is_hidden_from_the_public(client, cast):
    call = CallFactory(status=Call.Status.DRAFT)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert call.title not in client.get(reverse("proposals:call_list")).content.decode()


def test_a_group_applies_with_a_checked_attachment_and_submits(client, cast):
    login(client, cast.member)
    url = reverse("proposals:proposal_create", args=[cast.call.pk])
    fake = SimpleUploadedFile("計画書.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url, proposal_post(cast, attachment=fake))
    assert response.status_code == 200
    assert "ファイルの中身が拡張子と一致しません" in response.content.decode()
    assert "放課後の居場所づくり" in response.content.decode()
    assert not Proposal.objects.exists()
    good = SimpleUploadedFile("計画書.pdf", PDF, content_type="application/pdf")
    response = client.post(url, proposal_post(cast, attachment=good))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.status == PS.DRAFT
    assert proposal.attachments.get().original_name == "計画書.pdf"
    client.post(reverse("proposals:proposal_action", args=[proposal.pk, "submit"]))
    proposal.refresh_from_db()
    assert proposal.status == PS.SUBMITTED


def test_a_request_over_the_cap_is_refused_by_the_field(client, cast):
    login(client, cast.member)
    response = client.post(
        reverse("proposals:proposal_create", args=[cast.call.pk]),
        proposal_post(cast, budget_total=5000000, city_share_requested=4000000),
    )
    assert "1事業あたりの上限額を超えています" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_department_states_its_view_on_its_page(client, cast):
    p = cast.submitted()
    login(client, cast.staff)
    response = client.post(reverse("proposals:proposal_view", args=[p.pk]), {"view": ""})
    assert response.status_code == 200 and "必須です" in response.content.decode()
    client.post(reverse("proposals:proposal_view", args=[p.pk]), {"view": "協働の意義がある"})
    p.refresh_from_db()
    assert p.department_view == "協働の意義がある" and p.department_view_by == cast.staff


def test_a_reviewer_scores_on_the_review_page(client, cast):
    p = cast.under_review()
    login(client, cast.reviewer1)
    criteria = list(cast.call.criteria.all())
    response = client.post(reverse("proposals:proposal_review", args=[p.pk]), {f"c{criteria[0].pk}": 4})
    assert "1から5で採点してください" in response.content.decode()
    client.post(
        reverse("proposals:proposal_review", args=[p.pk]), {f"c{c.pk}": 5 for c in criteria} | {"comment": "明確"}
    )
    assert p.reviews.get(reviewer=cast.reviewer1).scores.count() == 2


def test_a_decision_over_the_budget_shows_the_reason_and_keeps_the_proposal_under_review(client, cast):
    p = cast.under_review()
    login(client, cast.coordinator)
    response = client.post(reverse("proposals:proposal_decide", args=[p.pk]), {"decision": "adopt", "amount": 3000001})
    assert "1事業あたりの上限額" in response.content.decode()
    p.refresh_from_db()
    assert p.status == PS.REVIEWING
    response = client.post(reverse("proposals:proposal_decide", args=[p.pk]), {"decision": "adopt", "amount": 900000})
    p.refresh_from_db()
    assert response.status_code == 302 and p.status == PS.ADOPTED and p.project


def test_the_applicant_of_a_rejected_proposal_reads_the_reason_but_never_scores(client, cast):
    p = cast.under_review()
    services.review_save(
        actor=cast.reviewer1,
        proposal=p,
        conflict=False,
        scores={c.pk: 2 for c in cast.call.criteria.all()},
        comment="審査委員だけの講評",
    )
    services.proposal_decide(
        actor=cast.coordinator, proposal=p, decision="reject", rejection_category="roles", reason="市の役割が不明確です"
    )
    page = login(client, cast.member).get(p.get_absolute_url()).content.decode()
    assert "市の役割が不明確です" in page and "協働の役割分担が明確でない" in page
    assert "審査委員だけの講評" not in page and "評点" not in page
    assert client.get(reverse("proposals:call_summary", args=[cast.call.pk])).status_code == 403


def test_the_summary_sheet_totals_weighted_scores_and_leaves_conflicts_out(client, cast):
    p = cast.under_review()
    criteria = {c.name: c.pk for c in cast.call.criteria.all()}  # 公益性 ×3, 実現性 ×2
    services.review_save(
        actor=cast.reviewer1, proposal=p, conflict=False, scores={criteria["公益性"]: 5, criteria["実現性"]: 4}
    )
    services.review_save(
        actor=cast.reviewer2, proposal=p, conflict=False, scores={criteria["公益性"]: 3, criteria["実現性"]: 3}
    )
    services.review_save(actor=cast.coordinator, proposal=p, conflict=True, scores={})
    page = login(client, cast.coordinator).get(reverse("proposals:call_summary", args=[cast.call.pk]))
    rows = page.context["rows"]
    reviewers = page.context["reviewers"]
    by_reviewer = {r: (None if c.conflict else c.total) for r, c in zip(reviewers, rows[0].cells, strict=True)}
    assert by_reviewer == {cast.reviewer1: 23, cast.reviewer2: 15, cast.coordinator: None}
    assert rows[0].average == 19.0
    assert "利害関係あり" in page.content.decode()


def test_the_presentation_schedule_is_saved_and_a_bad_time_keeps_the_input(client, cast):
    p = cast.submitted()
    login(client, cast.coordinator)
    url = reverse("proposals:call_summary", args=[cast.call.pk])
    response = client.post(url, {f"order-{p.pk}": "1", f"at-{p.pk}": "2025-13-99T10:00"})
    assert "発表時刻が正しくありません" in response.content.decode()
    assert 'value="2025-13-99T10:00"' in response.content.decode()
    client.post(url, {f"order-{p.pk}": "1", f"at-{p.pk}": "2025-12-06T10:00"})
    p.refresh_from_db()
    assert p.presentation_order == 1 and timezone.localtime(p.presentation_at).hour == 10


def test_the_department_records_the_next_step_on_its_page(client, cast):
    p = services.proposal_decide(actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1)
    login(client, cast.staff)
    client.post(reverse("proposals:proposal_next_step", args=[p.pk]), {"next_step": "group"})
    p.refresh_from_db()
    assert p.next_step == "group"
    assert "団体の自主事業として継続" in client.get(p.get_absolute_url()).content.decode()


# --- query counts: 1 row and 50 rows cost the same ------------------------------------------


def _many(cast, n, status=PS.SUBMITTED):
    for _i in range(n):
        ProposalFactory(call=cast.call, applicant=cast.org.party, department=cast.dept, status=status)


PAGES = {
    "call_list": lambda cast: (cast.member, reverse("proposals:call_list")),
    "call_detail": lambda cast: (cast.coordinator, reverse("proposals:call_detail", args=[cast.call.pk])),
    "call_summary": lambda cast: (cast.coordinator, reverse("proposals:call_summary", args=[cast.call.pk])),
    "mine_applicant": lambda cast: (cast.member, reverse("proposals:mine")),
    "mine_department": lambda cast: (cast.staff, reverse("proposals:mine")),
    "mine_reviewer": lambda cast: (cast.reviewer1, reverse("proposals:mine")),
}
EXPECTED_QUERIES = {
    "call_list": 5,
    "call_detail": 10,
    "call_summary": 11,
    "mine_applicant": 6,
    "mine_department": 7,
    "mine_reviewer": 9,
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_is_pinned_for_each_page(client, cast, django_assert_num_queries, page, rows):
    status = PS.REVIEWING if page in ("mine_reviewer", "call_summary") else PS.SUBMITTED
    _many(cast, rows, status=status)
    if page == "call_list":
        for _i in range(rows - 1):
            CallFactory()
    if page == "call_summary":
        scores = {c.pk: 3 for c in cast.call.criteria.all()}
        for p in cast.call.proposals.all():
            services.review_save(actor=cast.reviewer1, proposal=p, conflict=False, scores=scores, comment="講評")
    user, url = PAGES[page](cast)
    client.force_login(user)
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


# --- eligibility, attachments, the project's origin -----------------------------------------


def test_the_call_page_says_who_may_apply_and_a_forged_department_application_is_refused(client, cast):
    login(client, cast.staff)
    page = client.get(cast.call.get_absolute_url()).content.decode()
    assert "登録団体のみ" in page and "この公募に応募できるのは登録団体だけです。" in page
    assert reverse("proposals:proposal_create", args=[cast.call.pk]) not in page
    url = reverse("proposals:proposal_create", args=[cast.call.pk])
    response = client.post(url, proposal_post(cast, applicant=cast.dept.party_id))
    assert response.status_code == 302 and not Proposal.objects.exists()
    cast.call.groups_only = False
    cast.call.save()
    assert "登録団体と市の課" in client.get(cast.call.get_absolute_url()).content.decode()
    client.post(url, proposal_post(cast, applicant=cast.dept.party_id))
    assert Proposal.objects.get().applicant == cast.dept.party


def test_the_applicant_removes_an_attachment_before_submitting_only(client, cast):
    login(client, cast.member)
    p = cast.proposal(created_by=cast.member)
    upload = SimpleUploadedFile("計画書.pdf", PDF, content_type="application/pdf")
    attachment = services.proposal_add_attachment(actor=cast.member, proposal=p, upload=upload)
    edit = client.get(reverse("proposals:proposal_edit", args=[p.pk])).content.decode()
    delete_url = reverse("proposals:proposal_attachment_delete", args=[p.pk, attachment.pk])
    assert delete_url in edit
    login(client, cast.other_member)
    assert client.post(delete_url).status_code == 404  # another group's draft does not exist for them
    login(client, cast.member)
    services.proposal_move(actor=cast.member, proposal=p, action="submit")
    response = client.post(delete_url, follow=True)
    assert p.attachments.count() == 1 and "はできません" in response.content.decode()
    second = cast.proposal(created_by=cast.member)
    upload = SimpleUploadedFile("予算書.pdf", PDF, content_type="application/pdf")
    other = services.proposal_add_attachment(actor=cast.member, proposal=second, upload=upload)
    response = client.post(reverse("proposals:proposal_attachment_delete", args=[second.pk, other.pk]))
    assert response.status_code == 302 and not second.attachments.exists()
    assert client.get(reverse("proposals:proposal_attachment_delete", args=[second.pk, other.pk])).status_code == 405


def _adopted_two_years(cast):
    first = cast.under_review()
    scores = {c.pk: 5 for c in cast.call.criteria.all()}
    services.review_save(actor=cast.reviewer1, proposal=first, conflict=False, scores=scores, comment="委員の所見")
    first = services.proposal_decide(actor=cast.coordinator, proposal=first, decision="adopt", amount=900_000)
    cast.call = CallFactory(fiscal_year=2026, title="2026年度 市民提案型")
    second = services.proposal_decide(
        actor=cast.coordinator,
        proposal=cast.under_review(term_year=2, previous=first, title="2年目の提案"),
        decision="adopt",
        amount=700_000,
    )
    return first, second


def test_the_project_page_shows_its_call_term_and_adopted_amounts_but_no_scores(client, cast):
    first, second = _adopted_two_years(cast)
    login(client, cast.member)
    page = client.get(first.project.get_absolute_url()).content.decode()
    assert "協働事業提案制度での採択" in page
    assert first.call.get_absolute_url() in page and second.get_absolute_url() in page
    assert "1年目" in page and "2年目" in page and "900,000円" in page and "700,000円" in page
    assert "委員の所見" not in page and "評点" not in page
    login(client, cast.coordinator)
    assert "2026" in client.get(first.project.get_absolute_url()).content.decode()


def test_a_project_that_came_from_elsewhere_has_no_origin_section(client, cast):
    project = f.CollaborationProjectFactory()
    login(client, cast.coordinator)
    assert "協働事業提案制度での採択" not in client.get(project.get_absolute_url()).content.decode()


@pytest.mark.parametrize("years", [1, 2])
def test_project_page_query_count_does_not_grow_with_adopted_years(client, cast, django_assert_num_queries, years):
    if years == 1:
        project = services.proposal_decide(
            actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1
        ).project
    else:
        project = _adopted_two_years(cast)[0].project
    login(client, cast.member)
    with django_assert_num_queries(PROJECT_PAGE_QUERIES):
        assert client.get(project.get_absolute_url()).status_code == 200
