from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("proposals/calls/", views.call_list, name="call_list"),
    path("proposals/calls/new/", views.call_create, name="call_create"),
    path("proposals/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("proposals/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("proposals/calls/<int:pk>/summary/", views.call_summary, name="call_summary"),
    path("proposals/calls/<int:pk>/apply/", views.proposal_create, name="proposal_create"),
    path("proposals/calls/<int:pk>/<slug:action>/", views.call_action, name="call_action"),
    path("proposals/mine/", views.proposal_mine, name="mine"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/view/", views.proposal_view, name="proposal_view"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("proposals/<int:pk>/next-step/", views.proposal_next_step, name="proposal_next_step"),
    path("proposals/<int:pk>/files/<int:attachment_pk>/", views.proposal_attachment, name="proposal_attachment"),
    path(
        "proposals/<int:pk>/files/<int:attachment_pk>/delete/",
        views.proposal_attachment_delete,
        name="proposal_attachment_delete",
    ),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
]
