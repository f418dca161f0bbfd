from django.urls import path, re_path

from . import sitesearch, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("search/", sitesearch.search_page, name="search"),
    path("dev/mail/", views.dev_mail, name="dev_mail"),
    path("reading/", views.reading_suggestion, name="reading_suggestion"),
    path("coordination/history/<str:model_label>/<int:pk>/", views.history, name="history"),
    path("my/groups/<int:pk>/data/", views.group_data, name="group_data"),
    re_path(r"^my/groups/(?P<pk>[0-9]+)/data\.(?P<fmt>json|csv)$", views.group_data_export, name="group_data_export"),
    path("my/groups/<int:pk>/data-requests/new/", views.data_request_create, name="data_request_create"),
    path("coordination/data-requests/", views.data_request_list, name="data_request_list"),
    path("coordination/data-requests/<int:pk>/", views.data_request_detail, name="data_request_detail"),
    path("coordination/users/", views.user_list, name="user_list"),
    path(
        "coordination/users/<int:pk>/deactivate/", views.user_action, {"action": "deactivate"}, name="user_deactivate"
    ),
    path("coordination/users/<int:pk>/anonymize/", views.user_action, {"action": "anonymize"}, name="user_anonymize"),
]
