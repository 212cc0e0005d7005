"""Route of the staff's 12315 station verification."""

from django.urls import URLPattern, path

from units.views_station import station_verify_view

urlpatterns: list[URLPattern] = [
    path("units/<int:pk>/station/verify/", station_verify_view, name="station-verify"),
]
