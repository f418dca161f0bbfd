from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    # public
    path("groups/", views.directory, name="directory"),
    path("groups/<int:pk>/", views.organization_detail, name="detail"),
    path("groups/<int:pk>/logo/", views.organization_logo, name="logo"),
    path("activity-photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    # a group's own pages
    path("my/groups/", views.my_organizations, name="my_organizations"),
    path("my/groups/new/", views.organization_create, name="create"),
    path("my/groups/claim/", views.claim_search, name="claim_search"),
    path("groups/<int:pk>/claim/", views.organization_claim, name="claim"),
    path("groups/<int:pk>/edit/", views.organization_edit, name="edit"),
    path("groups/<int:pk>/members/", views.members, name="members"),
    path("groups/<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("groups/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    # departments
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    # coordinators
    path("coordination/profiles/", views.profile_review_queue, name="profile_review_queue"),
    path("coordination/profiles/<int:revision_pk>/", views.profile_review, name="profile_review"),
    path("coordination/profiles/<int:revision_pk>/logo/", views.revision_logo, name="revision_logo"),
    path("coordination/invitations/new/", views.invite, name="invite"),
    # invitations
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
