"""/api/v1/: the token endpoints, the open data, the OpenAPI schema and its docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views, views_docs, views_open

urlpatterns = [
    path("complaints/", views.ComplaintList.as_view(), name="api-complaints"),
    path("sampling/", views.SamplingList.as_view(), name="api-sampling"),
    path("units/", views.UnitList.as_view(), name="api-units"),
    path("grades/", views.GradeList.as_view(), name="api-grades"),
    path("targets/", views.TargetList.as_view(), name="api-targets"),
    *[
        path(f"open/{name}/", view.as_view(), name=f"api-open-{name}")
        for name, view in views_open.OPEN_LIST_VIEWS.items()
    ],
    re_path(
        r"^open/(?P<name>[a-z-]+)\.(?P<extension>csv|json)$",
        views_open.OpenDownload.as_view(),
        name="api-open-download",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views_docs.api_docs, name="api-docs"),
]
