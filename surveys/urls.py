from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/open/", views.survey_open, name="open"),
    path("surveys/options/", views.options, name="options"),
    path("surveys/<int:pk>/", views.detail, name="detail"),
    path("surveys/<int:pk>/close/", views.close, name="close"),
    path("surveys/<int:pk>/remind/", views.remind, name="remind"),
    path("surveys/<int:pk>/free-text/", views.free_text, name="free_text"),
    path("surveys/<int:pk>/answers.xlsx", views.export, name="export"),
    path("surveys/responses/<int:pk>/", views.response, name="response"),
    path("surveys/responses/<int:pk>/start/", views.start, name="start"),
    path("surveys/responses/<int:pk>/reopen/", views.reopen, name="reopen"),
]
