from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("coordination/board/", views.board, name="board"),
    path("coordination/board/<int:pk>/move/", views.match_move, name="match_move"),
    path("coordination/matches/new/", views.match_create, name="match_create"),
    path("parties/search/", views.party_search, name="party_search"),
    path("coordination/listings/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("coordination/listings/<int:pk>/suggestions/panel/", views.suggestion_panel, name="suggestion_panel"),
    path(
        "coordination/listings/<int:pk>/suggestions/<int:party_pk>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path("matches/", views.match_list, name="match_list"),
    path("matches/request/", views.match_request, name="match_request"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("matches/<int:pk>/<slug:action>/", views.match_action, name="match_action"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics_download, name="meeting_ics"),
    path("coordination/events/<int:pk>/outcomes/", views.event_outcomes, name="event_outcomes"),
]
