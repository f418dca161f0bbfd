from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("mypage/", views.dashboard, name="dashboard"),
    path("stats/", views.index, name="index"),
    path("stats/survey/<int:fy>/", views.survey_report, name="survey_report"),
    path("stats/survey/<int:fy>/report.<str:fmt>", views.survey_report_download, name="survey_report_download"),
    path("stats/survey/compare/", views.survey_compare, name="survey_compare"),
    path("stats/<slug:name>.<str:fmt>", views.download, name="download"),
    path("stats/<slug:name>/", views.table, name="table"),
    path("opendata/", views.opendata_index, name="opendata"),
    path("opendata/dictionary/", views.opendata_dictionary, name="opendata_dictionary"),
    path("opendata/listings.csv", views.opendata_listings, name="opendata_listings"),
    path("opendata/organizations.csv", views.opendata_directory, name="opendata_directory"),
]
