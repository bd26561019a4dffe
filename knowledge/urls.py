from django.urls import path

from core import converters
from discussion import urls as discussion_urls
from knowledge import views, views_verify

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
