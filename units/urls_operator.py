from django.urls import path

from units import views_operator as views

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/units/<int:pk>/", views.workspace_unit, name="workspace-unit"),
    path("workspace/units/<int:pk>/commitments/", views.commitments, name="workspace-commitments"),
    path("workspace/units/<int:pk>/station/", views.station, name="workspace-station"),
    path("workspace/units/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path(
        "workspace/units/<int:pk>/applications/new/",
        views.application_new,
        name="application-new",
    ),
    path(
        "workspace/applications/<int:pk>/",
        views.workspace_application,
        name="workspace-application",
    ),
    path("files/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
]
