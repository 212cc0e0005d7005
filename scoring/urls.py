from django.urls import include, path

urlpatterns = [
    path("", include("scoring.urls_scores")),
    path("", include("scoring.urls_targets")),
    path("", include("scoring.urls_dashboard")),
    path("", include("scoring.urls_reports")),
]
