"""Admin views of the programme: states and decisions are read-only here (they change through services)."""

from django.contrib import admin

from .models import Call, CallTheme, Criterion, Proposal, ProposalAttachment, Review, Score


class CallThemeInline(admin.TabularInline):
    model = CallTheme
    extra = 0
    raw_id_fields = ["listing"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "call_type", "fiscal_year", "year_round", "status", "deadline", "cap_total"]
    list_filter = ["call_type", "fiscal_year", "status", "year_round"]
    search_fields = ["title", "course_name"]
    readonly_fields = ["status", "status_changed_by", "status_changed_at", "created_by", "version"]
    filter_horizontal = ["events", "reviewers"]
    inlines = [CallThemeInline, CriterionInline]


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "applicant", "department", "status", "term_year", "adopted_amount"]
    list_filter = ["status", "term_year", "call__fiscal_year", "call__call_type"]
    search_fields = ["title"]
    list_select_related = ["call", "applicant__organization", "applicant__department", "department"]
    raw_id_fields = ["call", "applicant", "theme", "department", "previous"]
    readonly_fields = [f.name for f in Proposal._meta.fields if not f.editable]
    inlines = [ProposalAttachmentInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reviewer", "conflict"]
    list_select_related = ["proposal", "reviewer"]
    raw_id_fields = ["proposal", "reviewer"]
    inlines = [ScoreInline]
