from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import UserAdmin

from .forms import ReadingFilledAdminForm
from .models import (
    Activity,
    ActivityField,
    ActivityPhoto,
    Area,
    CollaborationForm,
    ContactPerson,
    Department,
    DepartmentMembership,
    Invitation,
    Organization,
    OrganizationMembership,
    Party,
    ProfileRevision,
)


@admin.register(ActivityField)
class ActivityFieldAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "name"]
    search_fields = ["name", "short_name"]


@admin.register(CollaborationForm)
class CollaborationFormAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code", "aliases"]
    list_display_links = ["name"]
    search_fields = ["name", "description"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "name_kana", "name_en", "is_citywide"]
    list_display_links = ["name"]
    search_fields = ["name", "name_kana", "name_en"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "__str__"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "department__name"]
    list_select_related = ["organization", "department__parent"]

    def has_add_permission(self, request):
        return False  # created with its organization or department


class OrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]


class ContactPersonInline(admin.StackedInline):
    model = ContactPerson
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = ReadingFilledAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the portal's own forms
    list_display = ["name", "name_kana", "kind", "area", "review_status", "is_published", "updated_at"]
    list_filter = ["kind", "review_status", "is_published", "area", "activity_fields"]
    search_fields = ["name", "name_kana", "search_text"]
    filter_horizontal = ["activity_fields", "open_forms"]
    readonly_fields = ["review_status", "is_published", "published_at", "created_at", "updated_at", "version"]
    list_select_related = ["area"]
    inlines = [OrganizationMembershipInline, ContactPersonInline]


class DepartmentMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 0
    autocomplete_fields = ["user"]


class DepartmentChildInline(admin.TabularInline):
    model = Department
    fk_name = "parent"
    form = ReadingFilledAdminForm
    fields = ["name", "name_kana", "order"]
    extra = 0
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    form = ReadingFilledAdminForm
    list_display = ["name", "parent", "name_kana", "is_coordinating_section", "order"]
    list_filter = ["is_coordinating_section", "parent"]
    search_fields = ["name", "name_kana", "search_text"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [DepartmentChildInline, DepartmentMembershipInline]


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "submitted_by", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["organization__name"]
    readonly_fields = ["organization", "data", "submitted_by", "reviewed_by", "reviewed_at", "created_at"]
    list_select_related = ["organization", "submitted_by", "reviewed_by"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "date_from", "place"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    inlines = [ActivityPhotoInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "department", "organization", "role", "expires_at", "accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["token", "invited_by", "accepted_at", "created_at"]
    list_select_related = ["department", "organization"]
    autocomplete_fields = ["department", "organization"]


@admin.register(OrganizationMembership)
class OrganizationMembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "role"]
    list_filter = ["role"]
    search_fields = ["organization__name", "user__email"]
    autocomplete_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]


COORDINATOR_HELP = _(
    "「協働の調整部署」の担当課（市民自治推進課・市民活動サポートセンターなど）を選ぶと、この利用者はコーディネーターになります。"
)


class CoordinatorHelpMixin:
    """A membership of a coordinating section (「協働の調整部署」) is what makes a user a coordinator:
    the department field says so wherever admins add memberships."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "department":
            field.help_text = COORDINATOR_HELP
        return field


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(CoordinatorHelpMixin, admin.ModelAdmin):
    list_display = ["department", "user", "role"]
    list_filter = ["role", "department__is_coordinating_section"]
    search_fields = ["department__name", "user__email"]
    autocomplete_fields = ["department", "user"]
    list_select_related = ["department__parent", "user"]


class UserOrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["organization"]


class UserDepartmentMembershipInline(CoordinatorHelpMixin, admin.TabularInline):
    model = DepartmentMembership
    extra = 0
    autocomplete_fields = ["department"]


# A user's memberships on the user's admin page: added here, above accounts, which knows no organizations.
UserAdmin.inlines = [*UserAdmin.inlines, UserOrganizationMembershipInline, UserDepartmentMembershipInline]
