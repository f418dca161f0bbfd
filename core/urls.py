from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("reading/", views.reading_suggestion, name="reading_suggestion"),
]
