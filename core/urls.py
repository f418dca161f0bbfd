from django.urls import path

from . import sitesearch, views

app_name = "core"
urlpatterns = [
    path("search/", sitesearch.search_page, name="search"),
    path("reading/", views.reading_suggestion, name="reading_suggestion"),
]
