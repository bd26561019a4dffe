from django.urls import path

from core import converters
from discussion import urls as discussion_urls
from knowledge import views, views_links, views_local, views_verify

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    path("knowledge/", views.knowledge_list, name="knowledge_list"),
    path("knowledge/new/", views.article_create, name="article_create"),
    path("knowledge/<id:pk>/", views.article_detail, name="article_detail"),
    path("knowledge/<id:pk>/edit/", views.article_edit, name="article_edit"),
    path("knowledge/<id:pk>/history/", views.article_history, name="article_history"),
    path("knowledge/<id:pk>/diff/", views.article_diff, name="article_diff"),
    path("knowledge/<id:pk>/restore/<id:number>/", views.article_restore, name="article_restore"),
    *discussion_urls.for_kind("article", "knowledge/"),
    path("knowledge/feedback/", views_links.feedback_list, name="knowledge_feedback"),
    path("knowledge/<id:pk>/links/", views_links.article_link, name="article_link"),
    path(
        "knowledge/<id:pk>/links/<id:link_pk>/remove/",
        views_links.article_unlink,
        name="article_unlink",
    ),
    path("knowledge/<id:pk>/feedback/", views_links.feedback_post, name="article_feedback"),
    path(
        "knowledge/<id:pk>/feedback/<id:feedback_pk>/answer/",
        views_links.feedback_respond,
        name="feedback_respond",
    ),
    path(
        "knowledge/lessons/from-project/<id:project_pk>/",
        views_links.lesson_from_closure,
        name="lesson_from_closure",
    ),
    # Base and local versions
    path("knowledge/<id:pk>/localise/", views_local.article_localise, name="article_localise"),
    path("knowledge/<id:pk>/differs/", views_local.local_differs, name="local_differs"),
    path("knowledge/<id:pk>/upstream/", views_local.upstream_compare, name="upstream_compare"),
    path("knowledge/<id:pk>/upstream/take/", views_local.upstream_take, name="upstream_take"),
    path(
        "knowledge/<id:pk>/upstream/decline/",
        views_local.upstream_decline,
        name="upstream_decline",
    ),
    path("knowledge/reviews/", views_verify.reviews, name="knowledge_reviews"),
    path("knowledge/<id:pk>/verify/", views_verify.article_verify, name="article_verify"),
    path(
        "knowledge/<id:pk>/verification/",
        views_verify.article_verification,
        name="article_verification",
    ),
    path(
        "knowledge/<id:pk>/review-interval/",
        views_verify.article_review_interval,
        name="article_review_interval",
    ),
]
