"""Routes of the inspections app."""

from django.urls import URLPattern, path, re_path

from inspections import (
    views_checks,
    views_entry,
    views_figures,
    views_files,
    views_records,
    views_sampling,
)

urlpatterns: list[URLPattern] = [
    path("sampling/", views_sampling.sampling_list, name="sampling-list"),
    re_path(
        r"^sampling/export\.(?P<fmt>xlsx|csv)$",
        views_sampling.sampling_export,
        name="sampling-export",
    ),
    path("sampling/import/", views_sampling.sampling_import, name="sampling-import"),
    path(
        "sampling/import/template.xlsx",
        views_sampling.sampling_import_template,
        name="sampling-import-template",
    ),
    path("sampling/balance/", views_sampling.sampling_balance_view, name="sampling-balance"),
    path("sampling/new/", views_entry.sampling_new, name="sampling-new"),
    path("sampling/figures/", views_figures.sampling_figures_view, name="sampling-figures"),
    path("sampling/<int:pk>/", views_sampling.sampling_detail, name="sampling-detail"),
    path("sampling/<int:pk>/link/", views_entry.sampling_link, name="sampling-link"),
    path(
        "sampling/<int:pk>/<str:action>/",
        views_sampling.sampling_action,
        name="sampling-action",
    ),
    path("checks/", views_checks.check_list, name="check-list"),
    path("checks/new/<int:unit_pk>/", views_checks.check_new, name="check-new"),
    path("checks/<int:pk>/", views_checks.check_detail, name="check-detail"),
    path("checks/items/<int:pk>/photo/", views_files.check_item_photo, name="check-item-photo"),
    path("findings/", views_checks.finding_list, name="finding-list"),
    path("findings/<int:pk>/evidence/", views_files.finding_evidence, name="finding-evidence"),
    path("findings/<int:pk>/rectify/", views_checks.finding_rectify, name="finding-rectify"),
    path("findings/<int:pk>/confirm/", views_checks.finding_confirm, name="finding-confirm"),
    path("enforcement/<str:kind>/", views_records.record_list, name="record-list"),
    path("enforcement/<str:kind>/<int:pk>/", views_records.record_edit, name="record-edit"),
]
