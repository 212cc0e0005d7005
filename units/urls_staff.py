"""Staff and leader pages of the unit register. URL names are linked from other apps: keep them."""

from django.urls import URLPattern, path, re_path

from units import views_blocks, views_claims, views_staff

urlpatterns: list[URLPattern] = [
    path("units/", views_staff.unit_list, name="unit-list"),
    re_path(r"^units/export\.(?P<fmt>xlsx|csv)$", views_staff.unit_export, name="unit-export"),
    path("units/import/", views_staff.unit_import, name="unit-import"),
    path(
        "units/import/template.xlsx",
        views_staff.unit_import_template,
        name="unit-import-template",
    ),
    path("units/claims/", views_claims.claim_list, name="claim-list"),
    path("units/claims/<int:pk>/decide/", views_claims.claim_decide, name="claim-decide"),
    path("units/claims/<int:pk>/licence/", views_claims.claim_licence, name="claim-licence"),
    path("units/<int:pk>/claim-code/", views_claims.claim_code_issue, name="claim-code-issue"),
    path("units/blocks/", views_blocks.block_staff_list, name="block-staff-list"),
    path("units/blocks/<int:pk>/", views_blocks.block_staff_detail, name="block-staff-detail"),
    path("units/blocks/<int:pk>/add/", views_blocks.block_units_add, name="block-units-add"),
    path(
        "units/blocks/<int:pk>/remove/<int:unit_pk>/",
        views_blocks.block_unit_remove,
        name="block-unit-remove",
    ),
    path("units/<int:pk>/", views_staff.unit_detail, name="unit-detail"),
    path("units/<int:pk>/status/", views_staff.unit_status, name="unit-status"),
]
