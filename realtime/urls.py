from django.urls import path

from core import converters
from realtime import views

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/done/", views.first_visit_done, name="first_visit_done"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<id:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notification_read_many, name="notifications_read_many"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notifications_unsubscribe",
    ),
]
