"""Routes left of the retired demonstration-area checklist (issue 21): its page, editing and export
gave way to the demonstration areas' pages (their app answers the old address with a permanent
redirect); the items stay readable in the admin, and their evidence files downloadable here."""

from django.urls import URLPattern, path

from scoring.targets import views as views_targets

urlpatterns: list[URLPattern] = [
    path(
        "demonstration-areas/files/<int:pk>/",
        views_targets.checklist_file,
        name="checklist-file",
    ),
]
