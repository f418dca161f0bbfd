from django.urls import path

from . import views

app_name = "listings"
urlpatterns = [
    path("listings/", views.listing_index, name="index"),
    path("listings/new/", views.listing_create, name="create"),
    path("listings/<int:pk>/", views.listing_detail, name="detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="edit"),
    path("listings/<int:pk>/submit/", views.listing_submit, name="submit"),
    path("listings/<int:pk>/withdraw/", views.listing_withdraw, name="withdraw"),
    path("listings/<int:pk>/close/", views.listing_close, name="close"),
    path("listings/<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("listings/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("listings/<int:pk>/files/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("my/listings/", views.listing_mine, name="mine"),
    path("my/interests/", views.interest_list, name="interest_list"),
    path("my/follows/", views.follow_settings, name="follows"),
    path("interests/<int:pk>/", views.interest_detail, name="interest_detail"),
    path("coordination/listings/", views.review_queue, name="review_queue"),
    path("coordination/listings/<int:pk>/", views.listing_review, name="review"),
    path("menu/", views.collaboration_menu, name="menu"),
]
