from django.urls import path

from core import converters
from people import views, views_tokens

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    path("people/", views.directory, name="people_directory"),
    path("people/suggest/", views.people_suggest, name="people_suggest"),
    path("people/<id:pk>/", views.profile_detail, name="profile_detail"),
    path("people/mention/", views.mention, name="people_mention"),
    path(
        "people/mention/suggestions/",
        views.mention_suggestions,
        name="people_mention_suggestions",
    ),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("profile/tokens/<id:pk>/revoke/", views_tokens.api_token_revoke, name="api_token_revoke"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
