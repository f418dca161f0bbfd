import base64
import hashlib

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from .answers_io import import_answers
from .forms import ImportForm
from .models import ProjectAnswer, Survey, SurveyEvent, SurveyOption, SurveyResponse

SESSION_KEY = "survey_import"


class SurveyResponseInline(admin.TabularInline):
    model = SurveyResponse
    fields = ["department", "category", "status", "submitted_at", "submitted_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Surveys are opened and closed on the portal's pages (services); here only read and imported."""

    list_display = ["__str__", "fiscal_year", "deadline", "status", "closed_at"]
    readonly_fields = ["status", "options", "opened_by", "closed_at", "closed_by", "created_at", "updated_at"]
    inlines = [SurveyResponseInline]
    change_list_template = "admin/surveys/survey/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="surveys_survey_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a past survey (.xlsx): first a preview (nothing written), then import on confirmation."""
        if not self.has_change_permission(request):
            return redirect("admin:surveys_survey_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        result, pending = None, request.session.get(SESSION_KEY)
        if request.method == "POST" and "confirm" in request.POST and pending:
            data = base64.b64decode(pending["data"])
            result = import_answers(data, actor=request.user, create_departments=pending["create"])
            del request.session[SESSION_KEY]
            if result.ok:
                messages.success(
                    request,
                    _("読み込みました: %(d)s課、%(p)s事業（更新した課 %(c)s）")
                    % {"d": result.departments, "p": result.projects, "c": result.changed},
                )
                return redirect("admin:surveys_survey_changelist")
        elif request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            create = form.cleaned_data["create_departments"]
            result = import_answers(data, dry_run=True, create_departments=create)
            if result.ok:
                request.session[SESSION_KEY] = {
                    "data": base64.b64encode(data).decode(),
                    "create": create,
                    "sha": hashlib.sha256(data).hexdigest()[:12],
                }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("過去の協働事業実態調査の読込"),
            "form": form,
            "result": result,
            "preview": bool(result and result.ok and SESSION_KEY in request.session),
        }
        return TemplateResponse(request, "admin/surveys/import.html", context)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "department", "category", "status", "submitted_at"]
    list_filter = ["survey", "category", "status"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "last_reminded_at", "version"]


@admin.register(ProjectAnswer)
class ProjectAnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "project"]
    list_select_related = ["response__survey", "response__department", "project"]


@admin.register(SurveyOption)
class SurveyOptionAdmin(admin.ModelAdmin):
    list_display = ["question", "label", "order"]
    list_filter = ["question"]
    list_editable = ["order"]


@admin.register(SurveyEvent)
class SurveyEventAdmin(admin.ModelAdmin):
    list_display = ["survey", "response", "action", "actor", "at"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
