from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("dev/mail/", views.dev_mail, name="dev_mail"),
    path("coordination/history/<str:model_label>/<int:pk>/", views.history, name="history"),
]
