"""The issue's whole path in one test, through the pages a browser would use."""

from django.core import mail
from django.urls import reverse

from listings.models import Interest, Listing
from notifications.models import Notification


def test_need_posted_returned_fixed_published_found_and_answered(
    client,
    group_member,
    organization,
    coordinator,
    department_staff,
    field,
    coforms,
    pdf_upload,
    django_capture_on_commit_callbacks,
):
    # 1. A group member posts a need and asks for review.
    client.force_login(group_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("listings:create"),
            {
                "owner": organization.party_id,
                "kind": "need",
                "title": "子ども食堂のボランティア募集",
                "body": "週末の子ども食堂で調理と見守りを手伝ってくれる仲間を探しています。",
                "problem": "ひとり親家庭の子どもの居場所が足りません。",
                "activity_fields": [field.pk],
                "collaboration_forms": [coforms[0].pk],
                "budget_note": "食材費は団体で負担します",
                "attachment": pdf_upload,
                "submit": "1",
            },
        )
    listing = Listing.objects.get(title="子ども食堂のボランティア募集")
    assert response.status_code == 302
    assert listing.status == Listing.Status.PENDING
    assert listing.attachments.get().original_name == "企画書.pdf"

    # 2. The coordinator returns it with a reason; the member is told.
    client.force_login(coordinator)
    assert "子ども食堂のボランティア募集" in client.get(reverse("listings:review_queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("listings:review", args=[listing.pk]),
            {"action": "return", "reason": "対象地区と活動日を書いてください。"},
        )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.RETURNED
    notice = Notification.objects.get(recipient=group_member, kind="review")
    assert "差戻" in notice.title

    # 3. The member fixes it and resubmits.
    client.force_login(group_member)
    page = client.get(reverse("listings:edit", args=[listing.pk])).content.decode()
    assert "対象地区と活動日を書いてください。" in page
    client.post(
        reverse("listings:edit", args=[listing.pk]),
        {
            "version": listing.version,
            "kind": "need",
            "title": "子ども食堂のボランティア募集",
            "body": "毎週土曜日、中央地区の公民館で子ども食堂を開いています。調理と見守りの仲間を探しています。",
            "problem": "ひとり親家庭の子どもの居場所が足りません。",
            "activity_fields": [field.pk],
            "collaboration_forms": [coforms[0].pk],
            "submit": "1",
        },
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    assert "毎週土曜日" in listing.body

    # 4. The coordinator publishes it with the checklist.
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("listings:review", args=[listing.pk]),
            {"action": "publish", "public_interest": "on", "fits_plans": "on", "note": "地域福祉計画に合致"},
        )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED
    assert listing.screen_public_interest and listing.screen_fits_plans and not listing.screen_department_agrees
    assert [c.to_status for c in listing.status_changes.all()] == [
        "draft",
        "pending",
        "returned",
        "pending",
        "published",
    ]

    # 5. Department staff finds it with a Japanese search (no spaces, katakana/hiragana folded) and sends interest.
    client.force_login(department_staff)
    found = client.get(reverse("listings:index"), {"q": "子ども食堂　ぼらんてぃあ"}).content.decode()
    assert "子ども食堂のボランティア募集" in found
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("listings:interest_create", args=[listing.pk]),
            {
                "from_party": department_staff.department_memberships.get().department.party_id,
                "message": "子育て支援課です。会場の紹介と広報でご協力できます。",
                "contribution": "公民館の紹介、市の広報紙への掲載",
            },
        )
    interest = Interest.objects.get()
    assert response.status_code == 302

    # 6. The group receives the notice and the e-mail, and replies.
    assert Notification.objects.filter(recipient=group_member, kind="interest").exists()
    assert Notification.objects.filter(recipient=coordinator, kind="interest").exists()
    assert group_member.email in [m.to[0] for m in mail.outbox]
    client.force_login(group_member)
    page = client.get(reverse("listings:interest_detail", args=[interest.pk])).content.decode()
    assert "会場の紹介と広報" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("listings:interest_detail", args=[interest.pk]),
            {"body": "ありがとうございます。ぜひ一度お打ち合わせをお願いします。"},
        )
    interest.refresh_from_db()
    assert interest.answered_at is not None
    assert interest.messages.get().body.startswith("ありがとうございます")
    assert Notification.objects.filter(recipient=department_staff, kind="reply").exists()
