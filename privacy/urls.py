from django.urls import path, re_path

from . import views

app_name = "privacy"
urlpatterns = [
    path("my/groups/<int:pk>/data/", views.group_data, name="group_data"),
    re_path(r"^my/groups/(?P<pk>[0-9]+)/data\.(?P<fmt>json|csv)$", views.group_data_export, name="group_data_export"),
    path("my/groups/<int:pk>/data-requests/new/", views.data_request_create, name="data_request_create"),
    path("coordination/data-requests/", views.data_request_list, name="data_request_list"),
    path("coordination/data-requests/<int:pk>/", views.data_request_detail, name="data_request_detail"),
]
