from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/registrations/<int:reg_pk>/cancel/", views.event_unregister, name="event_unregister"),
    path("coordination/events/new/", views.event_create, name="event_create"),
    path("coordination/events/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("coordination/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
]
