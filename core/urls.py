from django.urls import path

from core import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
