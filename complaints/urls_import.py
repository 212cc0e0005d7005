"""Import and export of the 12315 complaint file. URL names are linked from the list page."""

from django.urls import URLPattern, path

from complaints import views_import

urlpatterns: list[URLPattern] = [
    path("complaints/import/", views_import.complaint_import, name="complaint-import"),
    path(
        "complaints/import/template.xlsx",
        views_import.complaint_import_template,
        name="complaint-import-template",
    ),
    path("complaints/export.<str:fmt>", views_import.complaint_export, name="complaint-export"),
]
