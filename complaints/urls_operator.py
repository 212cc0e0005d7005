"""The operator workspace's complaint pages (linked from notifications: keep the paths)."""

from django.urls import URLPattern, path

from complaints import views_operator

urlpatterns: list[URLPattern] = [
    path(
        "workspace/complaints/",
        views_operator.workspace_complaints,
        name="workspace-complaints",
    ),
    path(
        "workspace/complaints/<int:pk>/",
        views_operator.workspace_complaint,
        name="workspace-complaint",
    ),
]
