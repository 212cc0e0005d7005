"""Public routes, no login: plaque pages reached by QR code, and the directory."""

from django.urls import path

from units import views_public

urlpatterns = [
    path("u/<str:public_id>/", views_public.plaque, name="plaque"),
    path("u/<str:public_id>/plaque/", views_public.plaque_print, name="plaque-print"),
    path("u/<str:public_id>/qr.<str:fmt>", views_public.plaque_qr, name="plaque-qr"),
    path("units/demonstration/", views_public.directory, name="directory"),
]
