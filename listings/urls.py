from django.urls import path

from . import views

app_name = "listings"
urlpatterns = [
    path("listings/<int:pk>/", views.listing_detail, name="detail"),
]
