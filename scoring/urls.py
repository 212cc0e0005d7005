from django.urls import include, path

urlpatterns = [
    path("", include("scoring.grading.urls")),
    path("", include("scoring.targets.urls")),
    path("", include("scoring.targets.dashboard.urls")),
    path("", include("scoring.reports.urls")),
]
