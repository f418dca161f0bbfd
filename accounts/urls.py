from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("coordination/users/", views.user_list, name="user_list"),
    path(
        "coordination/users/<int:pk>/deactivate/", views.user_action, {"action": "deactivate"}, name="user_deactivate"
    ),
    path("coordination/users/<int:pk>/anonymize/", views.user_action, {"action": "anonymize"}, name="user_anonymize"),
]
