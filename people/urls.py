from django.urls import path

from people import views

urlpatterns = [
    path("people/", views.directory, name="people_directory"),
    path("people/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
