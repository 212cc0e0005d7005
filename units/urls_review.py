from django.urls import path

from units import views_review as views

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application-action",
    ),
    path(
        "units/<int:pk>/commitments/<slug:kind>/verify/",
        views.commitment_verify,
        name="commitment-verify",
    ),
]
