"""One collaboration from a 成立 match to follow-up, through the pages, as each person would do it."""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from core.japanese import wareki_date
from demo import factories as f
from matching import services as matching
from matching.models import Meeting
from organizations.models import CollaborationForm
from projects.models import Agreement, CollaborationProject, FollowUp, PartStatus

from .conftest import PRE_DATA

pytestmark = pytest.mark.django_db
Status = CollaborationProject.Status


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


def as_user(client, user):
    client.force_login(user)
    return client


def agreement_post(agreement, roles, **changes):
    data = {
        "version": agreement.version,
        "purpose": agreement.purpose,
        "content": agreement.content,
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
        "budget_total": agreement.budget_total or "",
        "city_share": agreement.city_share or "",
        "cost_note": agreement.cost_note,
        "responsibility": agreement.responsibility,
        "personal_data": agreement.personal_data,
        "ownership": agreement.ownership,
        "meeting_frequency": agreement.meeting_frequency,
        "interim_review_on": agreement.interim_review_on.isoformat() if agreement.interim_review_on else "",
        "amendment_termination": agreement.amendment_termination,
        "change_reason": agreement.change_reason,
        "forms": [fm.pk for fm in agreement.forms.all()],
        "roles-TOTAL_FORMS": len(roles),
        "roles-INITIAL_FORMS": 0,
        "roles-MIN_NUM_FORMS": 0,
        "roles-MAX_NUM_FORMS": 1000,
    }
    for i, (task, assignee) in enumerate(roles):
        data[f"roles-{i}-task"] = task
        data[f"roles-{i}-assignee"] = assignee
    data.update(changes)
    return data


def part_post(part, data, submit=True):
    prefix = f"part{part.pk}"
    payload = {"part": part.pk, f"{prefix}-version": part.version, **{f"{prefix}-{k}": v for k, v in data.items()}}
    if submit:
        payload["submit"] = "1"
    return payload


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def test_a_match_goes_through_all_three_records_a_change_the_review_and_follow_up(client, people):
    # 成立: the matching helper's services create the project.
    match = matching.match_propose(
        actor=people.coordinator, title="子ども食堂ネットワークづくり", parties=[people.org.party, people.dept.party]
    )
    matching.match_send_to_participants(match=match, actor=people.coordinator)
    matching.match_respond(match=match, actor=people.group_rep, party=people.org.party, accept=True)
    matching.match_respond(match=match, actor=people.dept_staff, party=people.dept.party, accept=True)
    f.MeetingFactory(match=match, status=Meeting.Status.HELD)
    matching.match_advance(match=match, actor=people.coordinator)
    project = matching.match_establish(match=match, actor=people.coordinator)
    assert project.status == Status.PREPARING and project.match == match
    org_p = project.participants.get(party=people.org.party)
    dept_p = project.participants.get(party=people.dept.party)

    # 事前確認シート: each side submits its own part; the coordinator completes the joint section.
    for user, party, extra in [
        (people.dept_staff, people.dept.party, {"roles": "会場の確保と広報"}),
        (
            people.group_editor,
            people.org.party,
            {"contribution": "食堂の運営", "roles": "食堂の運営", "track_record": "10年"},
        ),
    ]:
        part = project.pre_sheet.parts.get(participant__party=party)
        response = as_user(client, user).post(url("pre_sheet", project), part_post(part, {**PRE_DATA, **extra}))
        assert response.status_code == 302
    assert set(project.pre_sheet.parts.values_list("status", flat=True)) == {PartStatus.SUBMITTED}
    commission = CollaborationForm.objects.get(code="commission")
    as_user(client, people.coordinator).post(
        url("pre_sheet_confirm", project),
        {
            "version": project.pre_sheet.version,
            "purpose_shared": "on",
            "chosen_form": commission.pk,
            "coordinator_note": "目的は共有",
        },
    )
    project.pre_sheet.refresh_from_db()
    assert project.pre_sheet.confirmed_at

    # 協働事業確認書: drafted from the sheet, completed with a role table, sent, confirmed by both.
    client.post(url("agreement_draft", project))
    first = project.agreements.get()
    assert "食堂の運営" in first.content and list(first.forms.all()) == [commission]
    roles = [("会場の確保", "city"), ("食堂の運営", "group"), ("広報", "joint")]
    response = client.post(
        url("agreement", project),
        agreement_post(first, roles, budget_total=500000, city_share=300000, interim_review_on="2025-10-01"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    assert [r.task for r in first.roles.all()] == ["会場の確保", "食堂の運営", "広報"]
    client.post(url("agreement_send", project))
    as_user(client, people.group_rep).post(url("agreement_confirm", project), {"participant": org_p.pk})
    as_user(client, people.dept_manager).post(url("agreement_confirm", project), {"participant": dept_p.pk})
    first.refresh_from_db()
    project.refresh_from_db()
    assert first.status == Agreement.Status.FIXED and project.status == Status.AGREED

    # The work starts; check-ins and the interim review on the agreed date.
    # Dates of a past year, before the agreement drafted today: the coordinator confirms them.
    as_user(client, people.coordinator).post(
        url("start", project), {"started_on": "2025-05-01", "outside_period_confirmed": "on"}
    )
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    as_user(client, people.group_editor).post(
        url("checkin_create", project), {"held_on": "2025-06-01", "done": "食堂を2回開いた", "issues": "人手不足"}
    )
    as_user(client, people.dept_staff).post(
        url("checkin_create", project),
        {
            "held_on": "2025-10-01",
            "is_interim_review": "on",
            "done": "中間評価を実施",
            "next_steps": "ボランティア募集",
        },
    )
    assert project.checkins.count() == 2 and project.checkins.filter(is_interim_review=True).exists()
    detail = client.get(url("detail", project)).content.decode()
    assert "2025年10月1日" in detail and "中間評価を実施" in detail and "実施済み" in detail

    # A change of the agreement: a new version, confirmed again; the old one stays readable.
    as_user(client, people.coordinator).post(url("agreement_amend", project), {"change_reason": "開催回数を増やすため"})
    second = project.agreements.get(number=2)
    response = client.post(
        url("agreement", project), agreement_post(second, [*roles, ("報告書の作成", "joint")], budget_total=800000)
    )
    assert response.status_code == 302
    client.post(url("agreement_send", project))
    as_user(client, people.group_rep).post(url("agreement_confirm", project), {"participant": org_p.pk})
    as_user(client, people.dept_manager).post(url("agreement_confirm", project), {"participant": dept_p.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Agreement.Status.SUPERSEDED, Agreement.Status.FIXED)
    changes = client.get(url("agreement_version", project, 2)).content.decode()
    assert (
        "第1版からの変更点" in changes
        and "500,000円" in changes
        and "800,000円" in changes
        and "報告書の作成" in changes
    )
    old = client.get(url("agreement_version", project, 1)).content.decode()
    assert "変更により失効" in old and "会場の確保" in old

    # ふりかえりシート: each evaluates separately; the disagreement is visible side by side.
    as_user(client, people.coordinator).post(url("review_open", project))
    project.refresh_from_db()
    assert project.status == Status.REVIEWING
    sheet = project.review_sheet
    scores = {"goal_achievement": 4, "shared_goal": 4, "role_split": 4, "information_sharing": 4, "trust": 4}
    dept_part = sheet.parts.get(participant__party=people.dept.party)
    org_part = sheet.parts.get(participant__party=people.org.party)
    as_user(client, people.dept_staff).post(
        url("review_sheet", project),
        part_post(dept_part, {**scores, "equal_standing": 5, "next_step": "department", "went_well": "連携できた"}),
    )
    # Before the group submits, the department does not see the group's answers.
    assert "差あり" not in client.get(url("review_sheet", project)).content.decode()
    as_user(client, people.group_rep).post(
        url("review_sheet", project),
        part_post(
            org_part, {**scores, "equal_standing": 2, "next_step": "group", "problems": "市の決定が一方的だった"}
        ),
    )
    review = client.get(url("review_sheet", project)).content.decode()
    assert review.count("差あり") >= 2  # 対等な関係 5 vs 2, and the next step
    assert (
        "市の決定が一方的だった" in review
        and "担当課の事業として継続" in review
        and "団体の自主事業として継続" in review
    )

    # The coordinator records the agreed points and completes the project; follow-ups are set.
    response = as_user(client, people.coordinator).post(
        url("review_complete", project),
        {
            "version": sheet.version,
            "agreed_improvements": "決める前に団体と協議する",
            "outcome": "good",
            "completed_on": "2026-03-31",
            "outside_period_confirmed": "on",
        },
    )
    project.refresh_from_db()
    assert project.status == Status.COMPLETED and project.outcome == "good"
    assert list(project.follow_ups.values_list("years_after", flat=True)) == [1, 2, 3]

    # アフターフォロー one year later.
    follow_up = project.follow_ups.get(years_after=1)
    response = client.post(
        url("follow_up", project, follow_up.pk),
        {
            "recorded_on": "2027-04-10",
            "continued": "1",
            "continuation": "group",
            "contact_kept": "1",
            "note": "自主事業で継続",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.FOLLOW_UP
    assert FollowUp.objects.get(pk=follow_up.pk).recorded_by == people.coordinator

    # Each record prints as a PDF with the project name and both parties, for participants only.
    for document in ("pre-sheet", "agreement", "review"):
        text = pdf_text(as_user(client, people.group_editor).get(url("print_pdf", project, document)))
        for expected in (project.title, people.org.name, people.dept.name):
            assert expected in text, (document, expected)
    old_pdf = pdf_text(client.get(url("print_pdf", project, "agreement") + "?number=1"))
    assert "協働事業確認書" in old_pdf
    assert "協働事業変更確認書" in pdf_text(client.get(url("print_pdf", project, "agreement")))
    # Dates on records are 和暦, as officials write them.
    assert wareki_date(timezone.localdate()) in old_pdf.replace(" ", "").replace("\n", "")
    assert as_user(client, people.outsider).get(url("print_pdf", project, "agreement")).status_code == 404
    assert as_user(client, people.coordinator).get(url("print_pdf", project, "review")).status_code == 200
