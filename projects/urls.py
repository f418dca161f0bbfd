from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/rename/", views.project_rename, name="rename"),
    path("projects/<int:pk>/start/", views.project_start, name="start"),
    path("projects/<int:pk>/checkins/", views.checkin_create, name="checkin_create"),
    path("projects/<int:pk>/follow-ups/<int:follow_up_pk>/", views.follow_up_record, name="follow_up"),
    path("projects/<int:pk>/pre-sheet/", views.pre_sheet, name="pre_sheet"),
    path("projects/<int:pk>/pre-sheet/confirm/", views.pre_sheet_confirm, name="pre_sheet_confirm"),
    path("projects/<int:pk>/pre-sheet/parts/<int:part_pk>/return/", views.pre_part_return, name="pre_part_return"),
    path("projects/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("projects/<int:pk>/agreement/v<int:number>/", views.agreement, name="agreement_version"),
    path("projects/<int:pk>/agreement/draft/", views.agreement_draft, name="agreement_draft"),
    path("projects/<int:pk>/agreement/send/", views.agreement_send, name="agreement_send"),
    path("projects/<int:pk>/agreement/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path("projects/<int:pk>/agreement/amend/", views.agreement_amend, name="agreement_amend"),
    path("projects/<int:pk>/agreement/withdraw/", views.agreement_withdraw, name="agreement_withdraw"),
    path("projects/<int:pk>/review/", views.review_sheet, name="review_sheet"),
    path("projects/<int:pk>/review/open/", views.review_open, name="review_open"),
    path("projects/<int:pk>/review/complete/", views.review_complete, name="review_complete"),
    path("projects/<int:pk>/review/parts/<int:part_pk>/return/", views.review_part_return, name="review_part_return"),
    path("projects/<int:pk>/print/<str:document>/", views.print_html, name="print"),
    path("projects/<int:pk>/print/<str:document>.pdf", views.print_pdf, name="print_pdf"),
    path("projects/<int:pk>/case/", views.case_study_edit, name="case_edit"),
    path("projects/<int:pk>/case/consent/", views.case_study_consent, name="case_consent"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]
