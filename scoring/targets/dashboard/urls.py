"""The leader dashboard. The menu links to it by name: keep ``dashboard``."""

from django.urls import URLPattern, path

from scoring.targets.dashboard import views as views_dashboard
from scoring.targets.dashboard import views_screen

urlpatterns: list[URLPattern] = [
    path("dashboard/", views_dashboard.leader_dashboard, name="dashboard"),
    path("dashboard/screen/", views_screen.leader_screen, name="dashboard-screen"),
]
