"""Pages of groups and departments: public directory, profiles, members, activities, review."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.middleware import refresh_session_roles
from accounts.models import User
from accounts.security import log_personal_data_view
from core.bulk import report_bulk
from core.downloads import file_response
from core.exceptions import ConflictError, TransitionError
from core.params import valid_ids
from core.stamped import CachedCountPaginator

from . import permissions, selectors, services
from .filters import DepartmentFilter, OrganizationFilter, ProfileQueueFilter
from .forms import (
    ActivityForm,
    ActivityPhotoFormSet,
    BulkProfileReviewForm,
    ClaimForm,
    ContactPersonFormSet,
    DepartmentForm,
    InvitationSignupForm,
    MemberInviteForm,
    OrganizationProfileForm,
    ReturnForm,
    StaffInviteForm,
)
from .models import (
    Activity,
    ActivityPhoto,
    Department,
    Invitation,
    Organization,
    OrganizationMembership,
    ProfileRevision,
)

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- public -----------------------------------------------------------------------------------


def directory(request):
    """Published groups: words, filters, 50音 index, 20 per page."""
    filterset = OrganizationFilter(request.GET or None, queryset=selectors.directory_organizations())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    # The count is kept while no group is saved: a search's matches are read in full to count them.
    page = CachedCountPaginator(queryset.order_by("name_kana", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    without_kana = request.GET.copy()
    without_kana.pop("page", None)
    without_kana.pop("kana", None)
    return render(
        request,
        "organizations/organization_directory.html",
        {
            "filter": filterset,
            "page_obj": page,
            "organizations": page.object_list,
            "gojuon": selectors.GOJUON_INDEX,
            "current_kana": request.GET.get("kana", ""),
            "query_without_page": _query_without_page(request),
            "query_without_kana": without_kana.urlencode(),
        },
    )


def organization_detail(request, pk):
    organization = get_object_or_404(permissions.organizations_visible_to(request.user), pk=pk)
    organization = selectors.organization_for_page(Organization.objects.all(), organization.pk)
    can_contacts = permissions.can_view_contacts(request.user, organization)
    can_edit = permissions.can_edit_organization(request.user, organization)
    if can_contacts:
        # Security log: coordinators' and admins' views of the private contact persons.
        log_personal_data_view(request, organization, detail={"shown": "contact_persons"})
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "activities": organization.activities.all(),
            "contact_persons": list(organization.contact_persons.all()) if can_contacts else None,
            "can_edit": can_edit,
            "can_claim": permissions.can_claim_organization(request.user, organization),
            "pending": selectors.pending_profile_revision(organization) if can_edit else None,
        },
    )


@require_safe
def organization_logo(request, pk):
    """A group's logo, for whoever may see the group (uploads are served only through views)."""
    organization = get_object_or_404(permissions.organizations_visible_to(request.user), pk=pk)
    return file_response(organization.logo, inline_images=True)


@login_required
@require_safe
def revision_logo(request, revision_pk):
    """The logo a profile revision proposes, for the coordinators reviewing it (not public yet)."""
    if not permissions.can_review_profiles(request.user):
        raise PermissionDenied
    revision = get_object_or_404(ProfileRevision.objects.select_related("organization"), pk=revision_pk)
    name = revision.data.get("logo") or ""
    if not name:
        raise Http404
    logo = revision.organization.logo
    logo.name = name  # in memory only: serve the proposed file
    return file_response(logo, inline_images=True)


@require_safe
def activity_photo(request, pk):
    photo = get_object_or_404(
        ActivityPhoto, pk=pk, activity__organization__in=permissions.organizations_visible_to(request.user)
    )
    return file_response(photo.image, inline_images=True)


def department_list(request):
    """Departments as the 部 → 課 tree, with a word search."""
    filterset = DepartmentFilter(request.GET or None, queryset=Department.objects.all())
    sections = None
    if filterset.is_bound and filterset.is_valid() and filterset.form.cleaned_data.get("q"):
        hits = filterset.qs.values("pk")
        sections = Department.objects.filter(parent__isnull=False).filter(Q(pk__in=hits) | Q(parent__in=hits))
    tree = selectors.department_tree(sections)
    return render(
        request,
        "organizations/department_list.html",
        {"filter": filterset, "tree": tree, "searched": sections is not None},
    )


def department_detail(request, pk):
    department = get_object_or_404(Department.objects.select_related("parent"), pk=pk)
    return render(
        request,
        "organizations/department_detail.html",
        {
            "department": department,
            "sections": department.children.all() if department.is_division else None,
            "can_edit": permissions.can_edit_department(request.user, department),
            "ask_subject": _("【%(portal)s】協働についての相談") % {"portal": settings.PORTAL_NAME},
        },
    )


# --- a group's own pages ----------------------------------------------------------------------


@login_required
def my_organizations(request):
    memberships = selectors.memberships_of(request.user).prefetch_related(
        Prefetch(
            "organization__revisions",
            queryset=ProfileRevision.objects.filter(kind=ProfileRevision.Kind.PROFILE).order_by("-created_at", "-id"),
            to_attr="latest_revisions",
        )
    )
    claims = ProfileRevision.objects.filter(kind=ProfileRevision.Kind.CLAIM, submitted_by=request.user).select_related(
        "organization"
    )
    return render(
        request,
        "organizations/organization_mine.html",
        {
            "memberships": memberships,
            "claims": claims,
            "can_create": permissions.can_create_organization(request.user),
        },
    )


@login_required
def organization_create(request):
    if not permissions.can_create_organization(request.user):
        return render(request, "organizations/verification_required.html", status=403)
    form = OrganizationProfileForm(request.POST or None, request.FILES or None)
    contacts = ContactPersonFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = services.profile_data_from_cleaned(form.cleaned_data)
        organization = services.organization_create(user=request.user, data=data)
        services.contact_persons_save(user=request.user, organization=organization, formset=contacts)
        messages.success(
            request,
            _(
                "団体情報を申請しました。コーディネーターの確認後に公開されます。審査中でもニーズ・シーズを書き始められます。"
            ),
        )
        return redirect(organization)
    return render(
        request, "organizations/organization_form.html", {"form": form, "contacts": contacts, "creating": True}
    )


def _editable_organization(request, pk) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    return organization


def _initial_from_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "logo"}


@login_required
def organization_edit(request, pk):
    """Edit the profile (goes to review) and the private contact persons (saved at once)."""
    organization = _editable_organization(request, pk)
    pending = selectors.pending_profile_revision(organization)
    current = pending.data if pending else selectors.profile_data_of(organization)
    organization.logo.name = current.get("logo") or ""  # in memory only: show the logo under review
    conflict = None
    if request.method == "POST":
        form = OrganizationProfileForm(
            request.POST, request.FILES, instance=organization, initial=_initial_from_data(current)
        )
        contacts = ContactPersonFormSet(request.POST, instance=organization, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            data = services.profile_data_from_cleaned(form.cleaned_data, current=current)
            try:
                services.organization_submit_profile(
                    user=request.user, organization=organization, data=data, version=form.cleaned_data.get("version")
                )
            except ConflictError as e:
                fresh = Organization.objects.get(pk=organization.pk)
                latest = selectors.pending_profile_revision(fresh)
                form.add_error(None, str(e))
                conflict = selectors.profile_rows(latest.data if latest else selectors.profile_data_of(fresh))
                form.data = form.data.copy()
                form.data["version"] = fresh.version
            else:
                services.contact_persons_save(user=request.user, organization=organization, formset=contacts)
                messages.success(request, _("変更を申請しました。承認されるまでは、公開中の内容が表示されます。"))
                return redirect("organizations:my_organizations")
    else:
        form = OrganizationProfileForm(
            instance=organization, initial={**_initial_from_data(current), "version": organization.version}
        )
        contacts = ContactPersonFormSet(instance=organization, prefix="contacts")
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "contacts": contacts,
            "organization": organization,
            "pending": pending,
            "conflict": conflict,
            "last_returned": organization.revisions.filter(status=ProfileRevision.Status.RETURNED)
            .order_by("-reviewed_at")
            .first(),
        },
    )


@login_required
def claim_search(request):
    """Find a group that is listed but managed by nobody, to ask to manage it."""
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        results = list(
            Organization.objects.filter(memberships__isnull=True).search(query).order_by("name_kana", "id")[:30]
        )
    return render(request, "organizations/organization_claim_search.html", {"query": query, "results": results})


@login_required
def organization_claim(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    if not permissions.can_claim_organization(request.user, organization):
        raise PermissionDenied
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_claim(
                user=request.user, organization=organization, message=form.cleaned_data["message"]
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("管理者申請を送りました。コーディネーターの確認をお待ちください。"))
            return redirect("organizations:my_organizations")
    return render(request, "organizations/organization_claim.html", {"organization": organization, "form": form})


@login_required
def members(request, pk):
    organization = _editable_organization(request, pk)
    can_manage = permissions.can_manage_members(request.user, organization)
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.member_invite(
                    user=request.user,
                    organization=organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except TransitionError as e:
                form.add_error("email", str(e))
            else:
                messages.success(request, _("招待メールを送りました。"))
                return redirect("organizations:members", pk=organization.pk)
    return render(
        request,
        "organizations/organization_members.html",
        {
            "organization": organization,
            "memberships": organization.memberships.select_related("user").order_by("role", "user__email"),
            "invitations": Invitation.objects.filter(
                organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
            ).order_by("-created_at"),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def member_remove(request, pk, membership_pk):
    membership = get_object_or_404(
        OrganizationMembership.objects.select_related("organization", "user"), pk=membership_pk, organization_id=pk
    )
    try:
        services.member_remove(user=request.user, membership=membership)
    except TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("%(name)s さんを構成員から外しました。") % {"name": membership.user})
    if membership.user_id == request.user.pk:
        return redirect("organizations:my_organizations")
    return redirect("organizations:members", pk=pk)


# --- activities -------------------------------------------------------------------------------


def _activity_form(request, organization, activity=None):
    form = ActivityForm(request.POST or None, instance=activity)
    photos = ActivityPhotoFormSet(request.POST or None, request.FILES or None, instance=activity, prefix="photos")
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        services.activity_save(user=request.user, organization=organization, form=form, photo_formset=photos)
        messages.success(request, _("活動紹介を保存しました。"))
        return redirect(organization.get_absolute_url() + "#activities")
    return render(
        request,
        "organizations/activity_form.html",
        {"form": form, "photos": photos, "organization": organization, "activity": activity},
    )


@login_required
def activity_create(request, pk):
    organization = _editable_organization(request, pk)
    return _activity_form(request, organization)


@login_required
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("organization"), pk=pk)
    if not permissions.can_edit_organization(request.user, activity.organization):
        raise PermissionDenied
    return _activity_form(request, activity.organization, activity)


@login_required
def activity_delete(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("organization"), pk=pk)
    if not permissions.can_edit_organization(request.user, activity.organization):
        raise PermissionDenied
    if request.method == "POST":
        services.activity_delete(user=request.user, activity=activity)
        messages.success(request, _("活動紹介を削除しました。"))
        return redirect(activity.organization.get_absolute_url())
    return render(request, "organizations/activity_confirm_delete.html", {"activity": activity})


# --- departments ------------------------------------------------------------------------------


@login_required
def department_edit(request, pk):
    department = get_object_or_404(Department.objects.select_related("parent"), pk=pk)
    if not permissions.can_edit_department(request.user, department):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        form = DepartmentForm(request.POST, instance=Department.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.department_update(
                    user=request.user,
                    department=department,
                    data=form.cleaned_data,
                    version=form.cleaned_data.get("version"),
                )
            except ConflictError as e:
                form.add_error(None, str(e))
                conflict = Department.objects.get(pk=pk)
                form.data = form.data.copy()
                form.data["version"] = conflict.version
            else:
                messages.success(request, _("担当課のページを更新しました。"))
                return redirect(department.get_absolute_url())
    else:
        form = DepartmentForm(instance=department, initial={"version": department.version})
    return render(
        request, "organizations/department_form.html", {"form": form, "department": department, "conflict": conflict}
    )


# --- coordinators -----------------------------------------------------------------------------


def _require_reviewer(request):
    if not permissions.can_review_profiles(request.user):
        raise PermissionDenied


@login_required
def profile_review_queue(request):
    _require_reviewer(request)
    bulk_form = BulkProfileReviewForm(request.POST or None)
    if request.method == "POST" and bulk_form.is_valid():
        d = bulk_form.cleaned_data
        outcome = services.profile_revisions_review_bulk(
            user=request.user, revision_ids=d["ids"], action=d["action"], reason=d["reason"]
        )
        report_bulk(request, outcome)
        return redirect(request.get_full_path())
    filterset = ProfileQueueFilter(request.GET or None, queryset=selectors.pending_revisions())
    rows = filterset.qs if filterset.is_bound else filterset.queryset  # an invalid filter alone is dropped
    page = _page(request, rows)
    return render(
        request,
        "organizations/profilerevision_queue.html",
        {
            "page_obj": page,
            "revisions": page.object_list,
            "filter": filterset,
            "bulk_form": bulk_form,
            "chosen": set(valid_ids(request.POST.getlist("ids"))),
            "query": _query_without_page(request),
        },
    )


@login_required
def profile_review(request, revision_pk):
    _require_reviewer(request)
    revision = get_object_or_404(ProfileRevision.objects.select_related("organization", "submitted_by"), pk=revision_pk)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.profile_revision_approve(user=request.user, revision=revision)
                messages.success(request, _("承認しました。団体に通知しました。"))
                return redirect("organizations:profile_review_queue")
            if return_form.is_valid():
                services.profile_revision_return(
                    user=request.user, revision=revision, reason=return_form.cleaned_data["reason"]
                )
                messages.success(request, _("差し戻しました。団体に通知しました。"))
                return redirect("organizations:profile_review_queue")
        except TransitionError as e:
            messages.error(request, str(e))
            revision.refresh_from_db()
    return render(
        request,
        "organizations/profilerevision_review.html",
        {
            "revision": revision,
            "diff": selectors.revision_diff(revision),
            "return_form": return_form,
            "is_pending": revision.status == ProfileRevision.Status.PENDING,
        },
    )


@login_required
def invite(request):
    """A coordinator invites department staff or coordinators by e-mail."""
    if not permissions.can_invite_staff(request.user):
        raise PermissionDenied
    form = StaffInviteForm(request.POST or None, initial={"department": request.GET.get("department")})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_invite(
                user=request.user,
                department=form.cleaned_data["department"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except TransitionError as e:
            form.add_error("email", str(e))
        else:
            messages.success(request, _("招待メールを送りました。リンクの有効期限は7日間です。"))
            return redirect("organizations:invite")
    recent = Invitation.objects.filter(department__isnull=False).select_related("department__parent", "invited_by")
    return render(
        request,
        "organizations/invitation_form.html",
        {"form": form, "invitations": recent.order_by("-created_at")[:20]},
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(user=request.user, invitation=invitation)
    except TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("%(email)s への招待を取り消しました。") % {"email": invitation.email})
    if invitation.organization_id:
        return redirect("organizations:members", pk=invitation.organization_id)
    return redirect("organizations:invite")


def invitation_accept(request, token):
    """Open an invitation: sign up (new e-mail), log in (known e-mail), or accept (logged in)."""
    invitation = get_object_or_404(Invitation.objects.select_related("department__parent", "organization"), token=token)
    target = invitation.department or invitation.organization
    context = {"invitation": invitation, "target": target}
    try:
        services.invitation_check(invitation)
    except TransitionError as e:
        return render(request, "organizations/invitation_accept.html", {**context, "error": str(e)}, status=410)
    done_url = (
        invitation.department.get_absolute_url()
        if invitation.department_id
        else reverse("organizations:my_organizations")
    )
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(request, "organizations/invitation_accept.html", {**context, "wrong_user": True}, status=403)
        if request.method == "POST":
            services.invitation_accept(user=request.user, invitation=invitation)
            refresh_session_roles(request.session, request.user)  # a new coordinator needs 2FA now
            messages.success(request, _("%(target)s に参加しました。") % {"target": target})
            return redirect(done_url)
        return render(request, "organizations/invitation_accept.html", {**context, "confirm": True})
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "organizations/invitation_accept.html", {**context, "login_needed": True})
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_sign_up(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                family_name=form.cleaned_data["family_name"],
                given_name=form.cleaned_data["given_name"],
                family_name_kana=form.cleaned_data["family_name_kana"],
                given_name_kana=form.cleaned_data["given_name_kana"],
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("アカウントを作成し、%(target)s に参加しました。") % {"target": target})
            return redirect(done_url)
    return render(request, "organizations/invitation_accept.html", {**context, "form": form})
