from django.urls import URLPattern, path

from lyushunkou import views_notifications as views

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notification_mark_all_read, name="notification-mark-all-read"),
]
