from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "family_name", "given_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "family_name", "given_name", "family_name_kana", "given_name_kana"]
    readonly_fields = ["last_login", "date_joined", "anonymized_at"]
    inlines = []  # organizations/admin.py adds the memberships (accounts imports no app above it)
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("氏名"), {"fields": ["family_name", "given_name", "family_name_kana", "given_name_kana", "phone"]}),
        (
            _("権限"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "description": _(
                    "ここの権限は管理画面のためのものです。コーディネーターにするには、下の「担当課の職員」に"
                    "「協働の調整部署」の担当課（市民自治推進課など）を追加します。"
                ),
            },
        ),
        (_("記録"), {"fields": ["last_login", "date_joined", "anonymized_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log for admins: searched and filtered, never written here (a log that can be
    edited proves nothing; purge_security_log removes rows past their retention)."""

    list_display = ["created_at", "kind", "username", "user", "ip_address", "path", "object_label"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "user__email", "ip_address", "path", "object_label"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    show_full_result_count = False  # the log grows large; no COUNT(*) of every row per page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
