"""Routes of the demonstration areas: the public pages under /areas/, the staff pages under
/areas/staff/, and the address of scoring's retired checklist, moved here for good."""

from django.urls import URLPattern, path
from django.views.generic import RedirectView

from areas import views_assessment, views_network, views_standard

urlpatterns: list[URLPattern] = [
    # The five-item checklist lived at /demonstration-areas/ until issue 21 (its data is in the
    # admin now): bookmarks land on the staff page of the areas, which checks who may see it.
    path(
        "demonstration-areas/",
        RedirectView.as_view(pattern_name="areas-staff", permanent=True, query_string=False),
        name="areas-old-checklist",
    ),
    path("areas/", views_standard.public_areas, name="areas-public"),
    path("areas/network/", views_network.network_public, name="areas-network-public"),
    path("areas/staff/", views_standard.overview, name="areas-staff"),
    path("areas/staff/points/", views_network.point_list, name="areas-points"),
    path("areas/staff/points/new/", views_network.point_new, name="areas-point-new"),
    path("areas/staff/points/<int:pk>/", views_network.point_edit, name="areas-point-edit"),
    path("areas/staff/communities/", views_network.community_list, name="areas-communities"),
    path(
        "areas/staff/communities/import/",
        views_network.community_import,
        name="areas-community-import",
    ),
    path(
        "areas/staff/communities/template.xlsx",
        views_network.community_import_template,
        name="areas-community-template",
    ),
    path(
        "areas/staff/files/<int:pk>/", views_standard.confirmation_file, name="areas-confirm-file"
    ),
    path(
        "areas/staff/activities/<int:pk>/delete/",
        views_standard.activity_delete,
        name="areas-activity-delete",
    ),
    path("areas/staff/<str:code>/<int:year>/", views_standard.place_detail, name="areas-place"),
    path(
        "areas/staff/<str:code>/<int:year>/activities/new/",
        views_standard.activity_new,
        name="areas-activity-new",
    ),
    path(
        "areas/staff/<str:code>/<int:year>/assessment/",
        views_assessment.submit,
        name="areas-assessment-submit",
    ),
    path(
        "areas/staff/<str:code>/<int:year>/assessment/review/",
        views_assessment.review,
        name="areas-assessment-review",
    ),
    path(
        "areas/staff/<str:code>/<int:year>/verdict/",
        views_assessment.issue,
        name="areas-verdict-issue",
    ),
    path(
        "areas/staff/<str:code>/<int:year>/items/<slug:item>/",
        views_standard.confirm_item,
        name="areas-confirm",
    ),
]
