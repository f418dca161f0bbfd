from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_coordinator_or_admin, party_ids_of
from core.bulk import report_bulk
from core.downloads import file_response
from core.exceptions import ConflictError, TransitionError
from core.params import valid_ids
from core.stamped import CachedCountPaginator
from organizations.selectors import reference_choices

from . import permissions as perms
from . import selectors, services
from .filters import ListingFilter, ReviewQueueFilter
from .forms import BulkReviewForm, FollowForm, InterestForm, ListingForm, PublishForm, ReplyForm, ReturnForm
from .models import Follow, Interest, Listing, ListingAttachment, ListingStatusChange, speaks_as_department
from .workflow import LISTING_REVIEW

PAGE_SIZE = 20


def _listing_or_404(user, pk, queryset=None):
    """A listing the user may see; 404 otherwise, so drafts are not even confirmed to exist."""
    listing = get_object_or_404(queryset if queryset is not None else Listing.objects.with_related(), pk=pk)
    if not perms.can_view_listing(user, listing):
        raise Http404
    return listing


def listing_index(request):
    rows = selectors.index_listings()
    filterset = ListingFilter(request.GET or None, queryset=rows, choices=reference_choices())
    if filterset.is_bound:
        rows = filterset.qs  # the valid filters apply; an invalid one is reported next to its field
    paginator = CachedCountPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "listings/listing_index.html",
        {"filter": filterset, "page": page, "listings": page.object_list, "querystring": query.urlencode()},
    )


def listing_detail(request, pk):
    user = request.user
    listing = _listing_or_404(user, pk, Listing.objects.with_related().prefetch_related("attachments"))
    is_owner = perms.is_listing_owner(user, listing)
    is_coordinator = is_coordinator_or_admin(user)
    if is_owner or is_coordinator:  # the status history is shown to them only
        prefetch_related_objects(
            [listing], Prefetch("status_changes", queryset=ListingStatusChange.objects.select_related("actor"))
        )
    interest_form = None
    if perms.can_send_interest(user, listing):
        interest_form = InterestForm(parties=perms.interest_party_choices(user, listing))
    return render(
        request,
        "listings/listing_detail.html",
        {
            "listing": listing,
            "related": selectors.related_listings(listing) if listing.status == Listing.Status.PUBLISHED else [],
            "actions": LISTING_REVIEW.allowed_actions(user, listing),
            "show_history": is_owner or is_coordinator,
            "is_coordinator": is_coordinator,
            "interest_form": interest_form,
            "interests": (
                selectors.interests_with_related(listing.interests.all()).order_by("-created_at")
                if is_owner or is_coordinator
                else None
            ),
        },
    )


def _save_attachment(request, listing, form):
    upload = form.cleaned_data.get("attachment")
    if upload:
        services.listing_add_attachment(actor=request.user, listing=listing, upload=upload)


@login_required
def listing_create(request):
    if not perms.can_create_listing(request.user):
        raise PermissionDenied
    party_ids = party_ids_of(request.user)
    # ?owner=<party id> (from a group's or department's page) preselects that party when it is the user's.
    owner = request.GET.get("owner", "")
    initial = {"owner": int(owner)} if owner.isdigit() and int(owner) in party_ids else {}
    as_department = speaks_as_department(request.user)
    form = ListingForm(
        request.POST or None, request.FILES or None, party_ids=party_ids, initial=initial, as_department=as_department
    )
    if request.method == "POST" and form.is_valid():
        listing = services.listing_create(
            actor=request.user,
            owner=form.cleaned_data["owner"],
            data=form.listing_data(),
            activity_fields=form.cleaned_data["activity_fields"],
            collaboration_forms=form.cleaned_data["collaboration_forms"],
        )
        _save_attachment(request, listing, form)
        if "submit" in request.POST:
            services.listing_submit(actor=request.user, listing=listing)
            messages.success(request, _("審査を申請しました。コーディネーターの審査後に公開されます。"))
        else:
            messages.success(request, _("下書きを保存しました。"))
        return redirect(listing)
    return render(
        request, "listings/listing_form.html", {"form": form, "listing": None, "as_department": as_department}
    )


@login_required
def listing_edit(request, pk):
    listing = _listing_or_404(request.user, pk, Listing.objects.with_related().prefetch_related("attachments"))
    if not LISTING_REVIEW.can(request.user, listing, "edit"):
        raise PermissionDenied
    form = ListingForm(
        request.POST or None, request.FILES or None, instance=listing, as_department=listing.is_department_listing
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_update(
                actor=request.user,
                listing=listing,
                version=form.cleaned_data.get("version") or 0,
                data=form.listing_data(),
                activity_fields=form.cleaned_data["activity_fields"],
                collaboration_forms=form.cleaned_data["collaboration_forms"],
            )
        except ConflictError as exc:
            conflict = exc.current
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _save_attachment(request, listing, form)
            if "submit" in request.POST and LISTING_REVIEW.can(request.user, listing, "submit"):
                services.listing_submit(actor=request.user, listing=listing)
                messages.success(request, _("審査を申請しました。"))
            else:
                messages.success(request, _("保存しました。"))
            return redirect(listing)
    return render(
        request,
        "listings/listing_form.html",
        {
            "form": form,
            "listing": listing,
            "conflict": conflict,
            "actions": LISTING_REVIEW.allowed_actions(request.user, listing),
        },
    )


@login_required
@require_POST
def listing_submit(request, pk):
    listing = _listing_or_404(request.user, pk)
    try:
        services.listing_submit(actor=request.user, listing=listing)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("審査を申請しました。"))
    return redirect(listing)


@login_required
@require_POST
def listing_withdraw(request, pk):
    listing = _listing_or_404(request.user, pk)
    try:
        services.listing_withdraw(actor=request.user, listing=listing)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("審査の申請を取り下げ、下書きに戻しました。編集して、もう一度申請できます。"))
    return redirect(listing)


@login_required
@require_POST
def listing_close(request, pk):
    listing = _listing_or_404(request.user, pk)
    try:
        services.listing_close(actor=request.user, listing=listing, note=request.POST.get("note", "")[:500])
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("掲載を終了しました。"))
    return redirect(listing)


def attachment_download(request, pk, attachment_pk):
    listing = _listing_or_404(request.user, pk, Listing.objects.all())
    attachment = get_object_or_404(ListingAttachment, pk=attachment_pk, listing=listing)
    # The type comes from the checked extension, never from what the uploader's browser claimed.
    return file_response(attachment.file, filename=attachment.original_name)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    listing = _listing_or_404(request.user, pk, Listing.objects.all())
    attachment = get_object_or_404(
        ListingAttachment.objects.select_related("listing"), pk=attachment_pk, listing=listing
    )
    if not LISTING_REVIEW.can(request.user, listing, "edit"):
        raise PermissionDenied
    services.listing_remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("添付ファイルを削除しました。"))
    return redirect("listings:edit", pk=listing.pk)


@login_required
def listing_mine(request):
    party_ids = party_ids_of(request.user)
    if not party_ids:
        raise PermissionDenied
    page = Paginator(selectors.listings_of_parties(party_ids), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "listings/listing_mine.html",
        {"page": page, "listings": page.object_list, "as_department": speaks_as_department(request.user)},
    )


@login_required
def review_queue(request):
    if not perms.can_open_review_queue(request.user):
        raise PermissionDenied
    bulk_form = BulkReviewForm(request.POST or None)
    if request.method == "POST" and bulk_form.is_valid():
        d = bulk_form.cleaned_data
        outcome = services.listings_review_bulk(
            actor=request.user,
            listing_ids=d["ids"],
            action=d["action"],
            reason=d["reason"],
            public_interest=d["public_interest"],
            fits_plans=d["fits_plans"],
            department_agrees=d["department_agrees"],
            note=d["note"],
        )
        report_bulk(request, outcome)
        return redirect(request.get_full_path())
    filterset = ReviewQueueFilter(request.GET or None, queryset=selectors.review_queue())
    rows = filterset.qs if filterset.is_bound else filterset.queryset  # an invalid filter alone is dropped
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "listings/listing_review_queue.html",
        {
            "page": page,
            "listings": page.object_list,
            "filter": filterset,
            "bulk_form": bulk_form,
            "chosen": set(valid_ids(request.POST.getlist("ids"))),
            "querystring": query.urlencode(),
        },
    )


@login_required
def listing_review(request, pk):
    if not perms.can_open_review_queue(request.user):
        raise PermissionDenied
    listing = get_object_or_404(
        Listing.objects.with_related().prefetch_related(
            "attachments", Prefetch("status_changes", queryset=ListingStatusChange.objects.select_related("actor"))
        ),
        pk=pk,
    )
    publish_form = PublishForm(
        request.POST if request.POST.get("action") == "publish" else None,
        initial={
            "public_interest": listing.screen_public_interest,
            "fits_plans": listing.screen_fits_plans,
            "department_agrees": listing.screen_department_agrees,
            "note": listing.screen_note,
        },
    )
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish" and publish_form.is_valid():
                d = publish_form.cleaned_data
                services.listing_publish(
                    actor=request.user,
                    listing=listing,
                    public_interest=d["public_interest"],
                    fits_plans=d["fits_plans"],
                    department_agrees=d["department_agrees"],
                    note=d["note"],
                )
                messages.success(request, _("公開しました。掲載者に通知しました。"))
                return redirect("listings:review_queue")
            if request.POST.get("action") == "return" and return_form.is_valid():
                services.listing_return(actor=request.user, listing=listing, reason=return_form.cleaned_data["reason"])
                messages.success(request, _("差戻しました。掲載者に理由を通知しました。"))
                return redirect("listings:review_queue")
        except TransitionError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "listings/listing_review.html",
        {
            "listing": listing,
            "publish_form": publish_form,
            "return_form": return_form,
            "actions": LISTING_REVIEW.allowed_actions(request.user, listing),
        },
    )


def collaboration_menu(request):
    return render(request, "listings/collaboration_menu.html", {"forms": selectors.menu_forms()})


@login_required
@require_POST
def interest_create(request, pk):
    listing = _listing_or_404(request.user, pk)
    if not perms.can_send_interest(request.user, listing):
        raise PermissionDenied
    form = InterestForm(request.POST, parties=perms.interest_party_choices(request.user, listing))
    if form.is_valid():
        d = form.cleaned_data
        interest = services.interest_send(
            actor=request.user,
            listing=listing,
            from_party=d["from_party"],
            message=d["message"],
            contribution=d["contribution"],
            origin_event=d.get("origin_event"),
        )
        messages.success(request, _("相談・関心表明を送信しました。掲載者とコーディネーターに届きます。"))
        return redirect("listings:interest_detail", pk=interest.pk)
    return render(request, "listings/interest_form.html", {"listing": listing, "form": form}, status=400)


@login_required
def interest_detail(request, pk):
    try:
        interest = selectors.interest_detail(pk)
    except Interest.DoesNotExist as exc:
        raise Http404 from exc
    if not perms.can_view_interest(request.user, interest):
        raise Http404
    can_reply = perms.can_reply_interest(request.user, interest)
    form = ReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST":
        if not can_reply:
            raise PermissionDenied
        if form.is_valid():
            services.interest_reply(actor=request.user, interest=interest, body=form.cleaned_data["body"])
            messages.success(request, _("返信しました。"))
            return redirect("listings:interest_detail", pk=interest.pk)
    return render(
        request,
        "listings/interest_detail.html",
        {"interest": interest, "form": form, "is_coordinator": is_coordinator_or_admin(request.user)},
    )


@login_required
def interest_list(request):
    qs = selectors.interests_with_related(perms.interests_visible_to(request.user)).order_by("-created_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "listings/interest_list.html", {"page": page, "interests": page.object_list})


@login_required
def follow_settings(request):
    if not perms.can_follow(request.user):
        raise PermissionDenied
    follows = Follow.objects.filter(user=request.user)
    initial = {
        "activity_fields": [f.activity_field_id for f in follows if f.activity_field_id],
        "departments": [f.department_id for f in follows if f.department_id],
    }
    form = FollowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.follows_set(
            user=request.user,
            activity_fields=form.cleaned_data["activity_fields"],
            departments=form.cleaned_data["departments"],
        )
        messages.success(request, _("フォローの設定を保存しました。"))
        return redirect("listings:follows")
    return render(request, "listings/follow_form.html", {"form": form})
