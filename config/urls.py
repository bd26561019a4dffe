from django.contrib import admin
from django.urls import include, path, re_path

from config.api import no_such_endpoint
from people.views_accounts import ConfirmEmail

urlpatterns = [
    path("", include("realtime.urls")),
    # Before allauth's own route, which it otherwise is: says "already confirmed" when it is.
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", ConfirmEmail.as_view()),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("ideas.urls")),
    path("", include("projects.urls")),
    path("", include("commons.urls")),
    path("", include("knowledge.urls")),
    path("", include("discussion.urls")),
    path("", include("dashboard.urls")),
    path("", include("core.urls")),
    path("api/v1/", include("config.api")),
    re_path(r"^api/", no_such_endpoint),  # a JSON 404, not the site's HTML one
    path("admin/", admin.site.urls),
]
