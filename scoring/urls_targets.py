"""Routes of the demonstration-area checklist."""

from django.urls import URLPattern, path

from scoring import views_targets

urlpatterns: list[URLPattern] = [
    path("demonstration-areas/", views_targets.checklist_list, name="checklist-list"),
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
