import io

from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from core.japanese import join_names

from .forms import ImportForm
from .importer import ImportFileError, preview, progress_key, read_pending, read_rows, run_pending, save_pending
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
from .tasks import import_records_file


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
        status = self.admin_site.admin_view(self.import_status_view)
        return [
            path("import-records/", view, name="projects_collaborationproject_import"),
            path("import-records/status/", status, name="projects_collaborationproject_import_status"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload → preview (rows to add, already present, errors by row and column) → import on confirmation.

        The same reader and importer as `manage.py import_records`; files over IMPORT_BACKGROUND_ROWS rows
        are imported by the background worker, with progress on the status page.
        """
        if not self.has_add_permission(request):
            return redirect("admin:projects_collaborationproject_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("過去の協働記録の読込"),
            "form": form,
        }
        pending = request.session.get(PENDING_SESSION_KEY)
        if request.method == "POST" and "confirm" in request.POST and pending:
            create = bool(request.POST.get("create_departments"))
            try:
                rows = read_pending(pending)
            except (ImportFileError, FileNotFoundError):
                messages.error(request, _("読み込むファイルが見つかりません。もう一度選んでください。"))
                return redirect("admin:projects_collaborationproject_import")
            if len(rows) > settings.IMPORT_BACKGROUND_ROWS:
                del request.session[PENDING_SESSION_KEY]
                request.session[STATUS_SESSION_KEY] = pending
                cache.set(progress_key(pending), {"done": 0, "total": len(rows), "finished": False}, 86400)
                import_records_file.enqueue(pending, request.user.pk, create)
                return redirect("admin:projects_collaborationproject_import_status")
            del request.session[PENDING_SESSION_KEY]
            result = run_pending(pending, actor=request.user, create_departments=create)
            if result.ok:
                messages.success(request, result.summary())
                if result.new_departments:
                    messages.warning(
                        request, _("新しく作成した担当課（未分類）: %(d)s") % {"d": join_names(result.new_departments)}
                    )
                return redirect("admin:projects_collaborationproject_changelist")
            context["result"] = result
        elif request.method == "POST" and "file" in request.FILES and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                rows = read_rows(io.BytesIO(data), upload.name)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                create = bool(request.POST.get("create_departments"))
                result = preview(rows, create_departments=create)
                context.update(result=result, preview=True, create_departments=create, file_name=upload.name)
                if not result.errors or all(_only_department(e) for e in result.errors):
                    request.session[PENDING_SESSION_KEY] = save_pending(data, upload.name)
                    context["can_confirm"] = not result.errors
                    context["errors_are_departments"] = bool(result.errors)
        return TemplateResponse(request, "admin/projects/import_records.html", context)

    def import_status_view(self, request):
        """Progress of a background import (refresh the page); the summary when it has finished."""
        name = request.session.get(STATUS_SESSION_KEY)
        state = cache.get(progress_key(name)) if name else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("過去の協働記録の読込（処理状況）"),
            "state": state,
        }
        return TemplateResponse(request, "admin/projects/import_status.html", context)


PENDING_SESSION_KEY = "projects_import_pending"
STATUS_SESSION_KEY = "projects_import_status"


def _only_department(error) -> bool:
    """A row whose only problem is an unknown 担当課: ticking 'create departments' can fix it."""
    return bool(error.columns) and set(error.columns) == {"担当課"}


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
