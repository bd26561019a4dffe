from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("realtime.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("ideas.urls")),
    path("api/v1/", include("config.api")),
    path("admin/", admin.site.urls),
]
