"""Routes of the units app, one module per audience so each stays small."""

from django.urls import include, path

urlpatterns = [
    path("", include("units.urls_public")),
    path("", include("units.urls_staff")),
    path("", include("units.urls_operator")),
    path("", include("units.urls_review")),
    path("", include("units.urls_station")),
]
