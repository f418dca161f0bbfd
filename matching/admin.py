from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionItem,
    DismissedSuggestion,
    Match,
    MatchParticipant,
    Meeting,
    TimelineEntry,
)


class MatchParticipantInline(admin.TabularInline):
    model = MatchParticipant
    extra = 0
    raw_id_fields = ["party"]
    readonly_fields = ["responded_by", "responded_at"]


class TimelineEntryInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    readonly_fields = ["kind", "actor", "at", "text", "coordinator_only"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Match)
class MatchAdmin(SimpleHistoryAdmin):
    list_display = ["title", "stage", "coordinator", "last_event_at", "created_at"]
    list_filter = ["stage", "failure_reason"]
    search_fields = ["title", "summary"]
    readonly_fields = ["stage", "last_event_at", "closed_at", "created_by", "created_at", "updated_at", "version"]
    raw_id_fields = ["origin_interest", "origin_event", "listings"]
    list_select_related = ["coordinator"]
    inlines = [MatchParticipantInline, TimelineEntryInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the portal's own forms
    list_display = ["match", "kind", "starts_at", "place", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["match__title", "agenda", "minutes"]
    raw_id_fields = ["match"]
    list_select_related = ["match"]
    inlines = [ActionItemInline]


@admin.register(DismissedSuggestion)
class DismissedSuggestionAdmin(admin.ModelAdmin):
    list_display = ["listing", "party", "dismissed_by", "created_at"]
    raw_id_fields = ["listing", "party"]
    list_select_related = ["listing", "party__organization", "party__department", "dismissed_by"]
