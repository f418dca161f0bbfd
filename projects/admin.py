from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import ImportForm
from .importer import import_records, read_rows
from .models import (
    Agreement,
    AgreementConfirmation,
    AgreementRole,
    CaseStudy,
    CaseStudyConsent,
    CheckIn,
    CollaborationProject,
    FollowUp,
    PreConfirmationPart,
    PreConfirmationSheet,
    ProjectParticipant,
    ReviewPart,
    ReviewSheet,
)


class ProjectParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    raw_id_fields = ["party"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(CollaborationProject)
class CollaborationProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "department", "fiscal_year_start", "status", "origin", "outcome", "is_imported"]
    list_filter = ["status", "origin", "outcome", "continuation", "forms", "is_imported", "fiscal_year_start"]
    search_fields = ["title", "summary", "department__name"]
    filter_horizontal = ["forms"]
    readonly_fields = ["status", "is_imported", "import_key", "created_by", "created_at", "updated_at", "version"]
    raw_id_fields = ["match", "department", "coordinator"]
    list_select_related = ["department"]
    inlines = [ProjectParticipantInline, FollowUpInline]
    change_list_template = "admin/projects/collaborationproject/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import-records/", view, name="projects_collaborationproject_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a .csv/.xlsx of past records; the same importer as `manage.py import_records`."""
        if not self.has_add_permission(request):
            return redirect("admin:projects_collaborationproject_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_records(read_rows(upload, upload.name), actor=request.user)
            if result.ok:
                messages.success(request, result.summary())
                if result.new_departments:
                    messages.warning(
                        request, _("新しく作成した担当課（未分類）: %(d)s") % {"d": "、".join(result.new_departments)}
                    )
                return redirect("admin:projects_collaborationproject_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("過去の協働記録の読込"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/projects/import_records.html", context)


class PreConfirmationPartInline(admin.StackedInline):
    model = PreConfirmationPart
    extra = 0
    raw_id_fields = ["participant"]
    readonly_fields = ["submitted_by", "submitted_at"]


@admin.register(PreConfirmationSheet)
class PreConfirmationSheetAdmin(SimpleHistoryAdmin):
    list_display = ["project", "purpose_shared", "chosen_form", "confirmed_at"]
    raw_id_fields = ["project"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    list_select_related = ["project", "chosen_form"]
    inlines = [PreConfirmationPartInline]


class AgreementRoleInline(admin.TabularInline):
    model = AgreementRole
    extra = 0


class AgreementConfirmationInline(admin.TabularInline):
    model = AgreementConfirmation
    extra = 0
    can_delete = False
    readonly_fields = ["participant", "confirmed_by", "confirmed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["project", "number", "status", "period_start", "period_end", "fixed_at"]
    list_filter = ["status"]
    search_fields = ["project__title"]
    raw_id_fields = ["project"]
    filter_horizontal = ["forms"]
    readonly_fields = ["status", "fixed_at", "created_by", "version"]
    list_select_related = ["project"]
    inlines = [AgreementRoleInline, AgreementConfirmationInline]

    def get_readonly_fields(self, request, obj=None):
        # A fixed agreement is an official record: nothing of it changes, not even here.
        if obj is not None and obj.status in (Agreement.Status.FIXED, Agreement.Status.SUPERSEDED):
            return [f.name for f in obj._meta.fields] + ["forms"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Agreement.Status.DRAFT


@admin.register(CheckIn)
class CheckInAdmin(SimpleHistoryAdmin):
    list_display = ["project", "held_on", "is_interim_review", "author"]
    list_filter = ["is_interim_review"]
    raw_id_fields = ["project"]
    list_select_related = ["project", "author"]


class ReviewPartInline(admin.StackedInline):
    model = ReviewPart
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(ReviewSheet)
class ReviewSheetAdmin(SimpleHistoryAdmin):
    list_display = ["project", "finalized_at"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]
    inlines = [ReviewPartInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["project", "years_after", "due_on", "recorded_on", "continued"]
    list_filter = ["years_after", "continued"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]


class CaseStudyConsentInline(admin.TabularInline):
    model = CaseStudyConsent
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["project", "is_published", "published_at"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]
    inlines = [CaseStudyConsentInline]


@admin.register(ProjectParticipant)
class ProjectParticipantAdmin(admin.ModelAdmin):
    list_display = ["project", "party"]
    raw_id_fields = ["project", "party"]
    list_select_related = ["project", "party__organization", "party__department"]
