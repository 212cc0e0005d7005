from django.urls import path

from lyushunkou import views_notices

urlpatterns = [
    path("<int:pk>/", views_notices.notice_detail, name="notice-detail"),
    path("attachments/<int:pk>/", views_notices.notice_attachment, name="notice-attachment"),
    path("manage/", views_notices.notice_manage, name="notice-manage"),
    path("manage/new/", views_notices.notice_edit, name="notice-new"),
    path("manage/<int:pk>/edit/", views_notices.notice_edit, name="notice-edit"),
    path("manage/<int:pk>/delete/", views_notices.notice_delete, name="notice-delete"),
]
