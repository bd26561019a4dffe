from django.urls import path

from core import converters
from discussion import urls as discussion_urls
from ideas import views, views_contributions

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/waiting/", views.idea_waiting, name="idea_waiting"),
    path("ideas/similar/", views.similar, name="idea_similar"),
    path("ideas/tags/", views.tag_suggestions, name="tag_suggestions"),
    path("ideas/suggest/", views.idea_suggestions, name="idea_suggest"),
    path("problems/similar/", views.similar_problems, name="problem_similar"),
    path("ideas/<id:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<id:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<id:pk>/history/", views.idea_history, name="idea_history"),
    path("ideas/<id:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<id:pk>/decide/", views.idea_decide, name="idea_decide"),
    path("ideas/<id:pk>/merge/", views.idea_merge, name="idea_merge"),
    path("ideas/<id:pk>/parts/decisions/", views.idea_decisions_part, name="idea_decisions_part"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<id:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<id:pk>/status/", views.problem_status, name="problem_status"),
    path("problems/<id:pk>/owners/", views.problem_owner_add, name="problem_owner_add"),
    *discussion_urls.for_kind("idea", "ideas/"),
    *discussion_urls.for_kind("problem", "problems/"),
    path(
        "people/<id:pk>/contributions/<str:kind>/",
        views_contributions.person_contributions,
        name="person_contributions",
    ),
    path(
        "organisations/<slug:slug>/contributions/<str:kind>/",
        views_contributions.organisation_contributions,
        name="organisation_contributions",
    ),
]
