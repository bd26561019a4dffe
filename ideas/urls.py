from django.urls import path

from ideas import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/waiting/", views.idea_waiting, name="idea_waiting"),
    path("ideas/similar/", views.similar, name="idea_similar"),
    path("ideas/tags/", views.tag_suggestions, name="tag_suggestions"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<int:pk>/history/", views.idea_history, name="idea_history"),
    path("ideas/<int:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<int:pk>/decide/", views.idea_decide, name="idea_decide"),
    path("ideas/<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    path("ideas/<int:pk>/parts/decisions/", views.idea_decisions_part, name="idea_decisions_part"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/status/", views.problem_status, name="problem_status"),
    path("problems/<int:pk>/owners/", views.problem_owner_add, name="problem_owner_add"),
    path("ideas/<int:pk>/follow/", views.follow_toggle, {"kind": "idea"}, name="idea_follow"),
    path(
        "problems/<int:pk>/follow/", views.follow_toggle, {"kind": "problem"}, name="problem_follow"
    ),
    path("ideas/<int:pk>/discussion/", views.discussion, {"kind": "idea"}, name="idea_discussion"),
    path(
        "problems/<int:pk>/discussion/",
        views.discussion,
        {"kind": "problem"},
        name="problem_discussion",
    ),
    path("ideas/<int:pk>/comments/", views.comment_create, {"kind": "idea"}, name="idea_comment"),
    path(
        "problems/<int:pk>/comments/",
        views.comment_create,
        {"kind": "problem"},
        name="problem_comment",
    ),
    path("comments/<int:pk>/", views.comment_fragment, name="comment_fragment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
    path("ideas/<int:pk>/report/", views.report, {"kind": "idea"}, name="idea_report"),
    path("comments/<int:pk>/report/", views.report, {"kind": "comment"}, name="comment_report"),
    path("ideas/<int:pk>/hide/", views.hide, {"kind": "idea"}, name="idea_hide"),
    path("comments/<int:pk>/hide/", views.hide, {"kind": "comment"}, name="comment_hide"),
    path("moderation/reports/", views.reports, name="reports"),
]
