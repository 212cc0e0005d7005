"""Routes of the complaints app, one module per audience."""

from django.urls import include, path

urlpatterns = [
    path("", include("complaints.urls_import")),
    path("", include("complaints.urls_staff")),
    path("", include("complaints.urls_operator")),
    path("", include("complaints.urls_public")),
]
