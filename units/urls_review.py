from django.urls import path

from units import views_notice
from units import views_review as views

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/objections/<int:objection_pk>/resolve/",
        views_notice.objection_resolve,
        name="objection-resolve",
    ),
    path(
        "applications/<int:pk>/objections/<int:objection_pk>/unmask/",
        views_notice.objection_unmask,
        name="objection-unmask",
    ),
    path(
        "applications/<int:pk>/certificate/issue/",
        views_notice.certificate_issue,
        name="certificate-issue",
    ),
    path(
        "applications/<int:pk>/certificate.pdf",
        views_notice.certificate_download,
        name="certificate-download",
    ),
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
