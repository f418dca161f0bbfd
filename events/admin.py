from django.contrib import admin

from .models import EventRegistration, ExchangeEvent


class EventRegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    raw_id_fields = ["party", "user"]


@admin.register(ExchangeEvent)
class ExchangeEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "capacity", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["activity_fields"]
    readonly_fields = ["created_by", "published_at", "published_by", "cancelled_at", "cancelled_by"]
    inlines = [EventRegistrationInline]
