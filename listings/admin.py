from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Follow, Interest, InterestMessage, Listing, ListingAttachment, ListingStatusChange


class ListingAttachmentInline(admin.TabularInline):
    model = ListingAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


class ListingStatusChangeInline(admin.TabularInline):
    model = ListingStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "owner", "status", "published_at", "period_end"]
    list_filter = ["kind", "status", "owner__kind", "activity_fields", "collaboration_forms", "area"]
    search_fields = ["title", "search_text"]
    filter_horizontal = ["activity_fields", "collaboration_forms"]
    readonly_fields = ["status", "published_at", "closed_at", "created_by", "created_at", "updated_at", "version"]
    list_select_related = ["owner__organization", "owner__department__parent"]
    raw_id_fields = ["owner"]
    inlines = [ListingAttachmentInline, ListingStatusChangeInline]


class InterestMessageInline(admin.TabularInline):
    model = InterestMessage
    extra = 0


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["listing", "from_party", "sender", "created_at", "answered_at"]
    search_fields = ["listing__title", "message"]
    list_select_related = ["listing", "from_party__organization", "from_party__department", "sender"]
    raw_id_fields = ["listing", "from_party", "origin_event"]
    inlines = [InterestMessageInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "activity_field", "department"]
    list_select_related = ["user", "activity_field", "department"]
    search_fields = ["user__email"]
