from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("mypage/", views.dashboard, name="dashboard"),
    path("stats/", views.index, name="index"),
    path("stats/<slug:name>.<str:fmt>", views.download, name="download"),
    path("stats/<slug:name>/", views.table, name="table"),
    path("opendata/", views.opendata_index, name="opendata"),
    path("opendata/listings.csv", views.opendata_listings, name="opendata_listings"),
    path("opendata/organizations.csv", views.opendata_directory, name="opendata_directory"),
]
