"""Every write on listings, their review, interests and follows."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import coordinators, members_of
from core.bulk import BulkOutcome, apply_each
from core.exceptions import PermissionDenied, TransitionError
from core.locking import check_version
from core.validators import upload_details
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import Party

from . import permissions as perms
from .models import Follow, Interest, InterestMessage, Listing, ListingAttachment, ListingStatusChange
from .workflow import LISTING_REVIEW

S = Listing.Status
EDITABLE_FIELDS = (
    "kind",
    "title",
    "body",
    "problem",
    "area",
    "period_start",
    "period_end",
    "budget_note",
)


# --- who hears about it -------------------------------------------------------------------------


# --- writing a listing --------------------------------------------------------------------------


def _record(listing, *, from_status, to_status, actor, note=""):
    ListingStatusChange.objects.create(
        listing=listing, from_status=from_status, to_status=to_status, actor=actor, note=note
    )


@transaction.atomic
def listing_create(*, actor, owner: Party, data: dict, activity_fields=(), collaboration_forms=()) -> Listing:
    """A new listing in 下書き for one of the actor's parties."""
    if owner.pk not in perms.party_ids_of(actor):
        raise PermissionDenied(_("この掲載者として登録する権限がありません。"))
    listing = Listing(owner=owner, created_by=actor, **{k: data.get(k) for k in EDITABLE_FIELDS if k in data})
    listing.full_clean(exclude=["search_text"])
    listing.save()
    listing.activity_fields.set(activity_fields)
    listing.collaboration_forms.set(collaboration_forms)
    _record(listing, from_status="", to_status=S.DRAFT, actor=actor, note=_("作成"))
    return listing


@transaction.atomic
def listing_update(
    *, actor, listing: Listing, version: int, data: dict, activity_fields=(), collaboration_forms=()
) -> Listing:
    """Save the owner's (or a coordinator's) edit, refused if someone else saved it meanwhile."""
    current = Listing.objects.select_for_update().get(pk=listing.pk)
    LISTING_REVIEW.check(actor, current, "edit")
    check_version(current, version)
    for key in EDITABLE_FIELDS:
        if key in data:
            setattr(current, key, data[key])
    current.version += 1
    current.full_clean(exclude=["version", "search_text"])
    current.save(update_fields=[*EDITABLE_FIELDS, "version", "updated_at"])
    current.activity_fields.set(activity_fields)
    current.collaboration_forms.set(collaboration_forms)
    return current


@transaction.atomic
def listing_add_attachment(*, actor, listing: Listing, upload) -> ListingAttachment:
    LISTING_REVIEW.check(actor, listing, "edit")
    attachment = ListingAttachment(listing=listing, file=upload, **upload_details(upload))
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def listing_remove_attachment(*, actor, attachment: ListingAttachment) -> None:
    LISTING_REVIEW.check(actor, attachment.listing, "edit")
    attachment.file.delete(save=False)
    attachment.delete()


# --- review workflow ----------------------------------------------------------------------------


def _locked(listing) -> Listing:
    return Listing.objects.select_for_update().select_related("owner").get(pk=listing.pk)


def _move(listing, action: str, *, actor, note="", extra_fields=()):
    """Make the declared move `action` (already checked) and record who and when."""
    from_status = listing.status
    listing.status = LISTING_REVIEW.target(action)
    listing.save(update_fields=["status", "updated_at", *extra_fields])
    _record(listing, from_status=from_status, to_status=listing.status, actor=actor, note=note)


@transaction.atomic
def listing_submit(*, actor, listing: Listing) -> Listing:
    """下書き / 差戻し → 審査中, by the owner."""
    listing = _locked(listing)
    LISTING_REVIEW.check(actor, listing, "submit")
    _move(listing, "submit", actor=actor, note=_("審査を申請"))
    return listing


@transaction.atomic
def listing_withdraw(*, actor, listing: Listing) -> Listing:
    """審査中 → 下書き, by the owner: take the listing back from review to edit it."""
    listing = _locked(listing)
    LISTING_REVIEW.check(actor, listing, "withdraw")
    _move(listing, "withdraw", actor=actor, note=_("審査の申請を取り下げ"))
    return listing


@transaction.atomic
def listing_publish(
    *,
    actor,
    listing: Listing,
    public_interest: bool,
    fits_plans: bool,
    department_agrees: bool,
    note: str = "",
) -> Listing:
    """審査中 → 公開, by a coordinator, recording the screening checklist."""
    listing = _locked(listing)
    LISTING_REVIEW.check(actor, listing, "publish")
    if not public_interest:
        raise TransitionError(
            _("公益性（会員のみでなく不特定多数の利益）が確認できない掲載は公開できません。差戻してください。")
        )
    listing.screen_public_interest = public_interest
    listing.screen_fits_plans = fits_plans
    listing.screen_department_agrees = department_agrees
    listing.screen_note = note
    listing.return_reason = ""
    listing.published_at = timezone.now()
    _move(
        listing,
        "publish",
        actor=actor,
        note=note,
        extra_fields=(
            "screen_public_interest",
            "screen_fits_plans",
            "screen_department_agrees",
            "screen_note",
            "return_reason",
            "published_at",
        ),
    )
    url = listing.get_absolute_url()
    notify(
        recipients=list(members_of([listing.owner_id])),
        kind=NoticeKind.REVIEW,
        title=lambda: _("「%(title)s」が公開されました") % {"title": listing.title},
        body=lambda: _("コーディネーターの審査を経て、掲載が公開されました。"),
        url=url,
    )
    _notify_followers(listing)
    return listing


@transaction.atomic
def listing_return(*, actor, listing: Listing, reason: str) -> Listing:
    """審査中 → 差戻し with a reason, by a coordinator."""
    listing = _locked(listing)
    LISTING_REVIEW.check(actor, listing, "return")
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("差戻しの理由を入力してください。"))
    listing.return_reason = reason
    _move(listing, "return", actor=actor, note=reason, extra_fields=("return_reason",))
    notify(
        recipients=list(members_of([listing.owner_id])),
        kind=NoticeKind.REVIEW,
        title=lambda: _("「%(title)s」が差戻されました") % {"title": listing.title},
        body=lambda: _("差戻しの理由: %(reason)s") % {"reason": reason},
        url=reverse("listings:edit", args=[listing.pk]),
    )
    return listing


def listings_review_bulk(
    *,
    actor,
    listing_ids: list[int],
    action: str,
    reason: str = "",
    public_interest: bool = False,
    fits_plans: bool = False,
    department_agrees: bool = False,
    note: str = "",
) -> BulkOutcome:
    """Publish or return several listings from the review queue: each goes through `listing_publish`
    or `listing_return` (its permission check, its record of who and when, its notice) in its own
    transaction, and each one refused is reported with the reason."""
    listings = {listing.pk: listing for listing in Listing.objects.filter(pk__in=listing_ids).only("id", "title")}
    if action == "publish":

        def move(listing):
            listing_publish(
                actor=actor,
                listing=listing,
                public_interest=public_interest,
                fits_plans=fits_plans,
                department_agrees=department_agrees,
                note=note,
            )

    elif action == "return":

        def move(listing):
            listing_return(actor=actor, listing=listing, reason=reason)

    else:
        raise TransitionError(_("この操作はまとめて行えません。"))
    outcome = apply_each((listings[pk] for pk in listing_ids if pk in listings), move, label=lambda x: x.title)
    outcome.failed += [(f"#{pk}", _("見つかりません。")) for pk in listing_ids if pk not in listings]
    return outcome


@transaction.atomic
def listing_close(*, actor, listing: Listing, note: str = "") -> Listing:
    """公開 → 終了, by the owner or a coordinator."""
    listing = _locked(listing)
    LISTING_REVIEW.check(actor, listing, "close")
    listing.closed_at = timezone.now()
    _move(listing, "close", actor=actor, note=note or _("掲載を終了"), extra_fields=("closed_at",))
    return listing


@transaction.atomic
def listings_expire(*, today: datetime.date | None = None) -> int:
    """Close every published listing whose period ended before today; returns how many."""
    today = today or timezone.localdate()
    expired = list(
        Listing.objects.select_for_update().filter(status=S.PUBLISHED, period_end__lt=today).only("id", "status")
    )
    if not expired:
        return 0
    now = timezone.now()
    for listing in expired:
        LISTING_REVIEW.check(None, listing, "expire")
    closed = LISTING_REVIEW.target("expire")
    Listing.objects.filter(pk__in=[x.pk for x in expired]).update(status=closed, closed_at=now, updated_at=now)
    ListingStatusChange.objects.bulk_create(
        ListingStatusChange(
            listing_id=x.pk, from_status=x.status, to_status=closed, actor=None, at=now, note=_("掲載期間の終了")
        )
        for x in expired
    )
    return len(expired)


def _notify_followers(listing: Listing) -> None:
    field_ids = list(listing.activity_fields.values_list("id", flat=True))
    q = Q(activity_field_id__in=field_ids)
    if listing.owner.kind == Party.Kind.DEPARTMENT:
        q |= Q(department__party_id=listing.owner_id)
    owners = {u.pk for u in members_of([listing.owner_id])}
    User = get_user_model()
    followers = [u for u in User.objects.filter(follows__in=Follow.objects.filter(q)).distinct() if u.pk not in owners]
    if followers:
        notify(
            recipients=followers,
            kind=NoticeKind.FOLLOWED,
            title=lambda: _("新着の%(kind)s: %(title)s") % {"kind": listing.display_kind, "title": listing.title},
            body=lambda: (
                _("フォロー中の分野・担当課に新しい掲載があります（%(owner)s）。") % {"owner": listing.owner.name}
            ),
            url=listing.get_absolute_url(),
        )


# --- interests ----------------------------------------------------------------------------------


@transaction.atomic
def interest_send(
    *, actor, listing: Listing, from_party: Party, message: str, contribution: str = "", origin_event=None
) -> Interest:
    """Show interest in a published listing; the owner's members and the coordinators hear of it."""
    if listing.status != S.PUBLISHED:
        raise TransitionError(_("公開中の掲載にだけ相談・関心表明を送れます。"))
    if from_party.pk not in perms.interest_parties_for(actor, listing):
        raise PermissionDenied(_("この団体・担当課として送信する権限がありません。"))
    # The listing is locked so that the same message sent twice (double click, resend) is stored once.
    Listing.objects.select_for_update().filter(pk=listing.pk).first()
    duplicate = Interest.objects.filter(
        listing=listing, from_party=from_party, sender=actor, message=message, contribution=contribution
    ).first()
    if duplicate is not None:
        return duplicate
    interest = Interest(
        listing=listing,
        from_party=from_party,
        sender=actor,
        message=message,
        contribution=contribution,
        origin_event=origin_event,
    )
    interest.full_clean()
    interest.save()
    notify(
        recipients=list(members_of([listing.owner_id])) + list(coordinators()),
        kind=NoticeKind.INTEREST,
        title=lambda: _("「%(title)s」に相談・関心表明が届きました") % {"title": listing.title},
        body=lambda: _("%(party)s から: %(message)s") % {"party": from_party.name, "message": message[:200]},
        url=reverse("listings:interest_detail", args=[interest.pk]),
    )
    return interest


@transaction.atomic
def interest_reply(*, actor, interest: Interest, body: str) -> InterestMessage:
    """A message in the thread by the owner's or the sender's side; the other side hears of it."""
    interest = Interest.objects.select_for_update().select_related("listing").get(pk=interest.pk)
    if not perms.can_reply_interest(actor, interest):
        raise PermissionDenied(_("このやりとりに返信する権限がありません。"))
    msg = InterestMessage(interest=interest, author=actor, body=body)
    msg.full_clean()
    msg.save()
    parties = perms.party_ids_of(actor)
    by_owner = interest.listing.owner_id in parties
    if by_owner and interest.answered_at is None:
        interest.answered_at = timezone.now()
        interest.save(update_fields=["answered_at", "updated_at"])
    other = interest.from_party_id if by_owner else interest.listing.owner_id
    recipients = [u for u in members_of([other]) if u.pk != actor.pk]
    notify(
        recipients=recipients,
        kind=NoticeKind.REPLY,
        title=lambda: _("「%(title)s」のやりとりに返信がありました") % {"title": interest.listing.title},
        body=body[:300],
        url=reverse("listings:interest_detail", args=[interest.pk]),
    )
    return msg


# --- follows ------------------------------------------------------------------------------------


@transaction.atomic
def follows_set(*, user, activity_fields, departments) -> None:
    """Replace what a group member follows."""
    if not perms.can_follow(user):
        raise PermissionDenied(_("フォローできるのは団体の構成員です。"))
    Follow.objects.filter(user=user).delete()
    Follow.objects.bulk_create(
        [Follow(user=user, activity_field=f) for f in activity_fields]
        + [Follow(user=user, department=d) for d in departments]
    )
