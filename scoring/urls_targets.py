"""Routes of the demonstration-area checklist."""

from django.urls import URLPattern, path, re_path

from scoring import views_targets

urlpatterns: list[URLPattern] = [
    path("demonstration-areas/", views_targets.checklist_list, name="checklist-list"),
    re_path(
        r"^demonstration-areas/export\.(?P<fmt>xlsx|csv)$",
        views_targets.checklist_export,
        name="checklist-export",
    ),
    path(
        "demonstration-areas/files/<int:pk>/",
        views_targets.checklist_file,
        name="checklist-file",
    ),
    path(
        "demonstration-areas/<str:code>/<str:item>/",
        views_targets.checklist_edit,
        name="checklist-edit",
    ),
]
