from django.contrib import admin
from django.urls import include, path

from realtime import views as realtime_views

urlpatterns = [
    path("", realtime_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("ideas.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
]
