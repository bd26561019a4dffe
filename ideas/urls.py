from django.urls import path

from core import converters
from ideas import views, views_contributions

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
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
    path("ideas/<id:pk>/follow/", views.follow_toggle, {"kind": "idea"}, name="idea_follow"),
    path(
        "problems/<id:pk>/follow/", views.follow_toggle, {"kind": "problem"}, name="problem_follow"
    ),
    path("ideas/<id:pk>/discussion/", views.discussion, {"kind": "idea"}, name="idea_discussion"),
    path(
        "problems/<id:pk>/discussion/",
        views.discussion,
        {"kind": "problem"},
        name="problem_discussion",
    ),
    path("ideas/<id:pk>/comments/", views.comment_create, {"kind": "idea"}, name="idea_comment"),
    path(
        "problems/<id:pk>/comments/",
        views.comment_create,
        {"kind": "problem"},
        name="problem_comment",
    ),
    path("comments/<id:pk>/", views.comment_fragment, name="comment_fragment"),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<id:pk>/history/", views.comment_history, name="comment_history"),
    path("ideas/<id:pk>/report/", views.report, {"kind": "idea"}, name="idea_report"),
    path("comments/<id:pk>/report/", views.report, {"kind": "comment"}, name="comment_report"),
    path("ideas/<id:pk>/hide/", views.hide, {"kind": "idea"}, name="idea_hide"),
    path("comments/<id:pk>/hide/", views.hide, {"kind": "comment"}, name="comment_hide"),
    path("moderation/reports/", views.reports, name="reports"),
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
