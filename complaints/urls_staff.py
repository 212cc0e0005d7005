"""Staff and leader pages of the 12315 register. URL names are linked from other apps: keep them."""

from django.urls import URLPattern, path

from complaints import views_staff

urlpatterns: list[URLPattern] = [
    path("complaints/", views_staff.complaint_list, name="complaint-list"),
    path("complaints/new/", views_staff.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", views_staff.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/unmask/", views_staff.complaint_unmask, name="complaint-unmask"),
    path(
        "complaints/<int:pk>/<slug:action>/",
        views_staff.complaint_action,
        name="complaint-action",
    ),
    path("surveys/entry/", views_staff.survey_entry, name="survey-entry"),
]
