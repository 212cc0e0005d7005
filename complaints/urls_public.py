"""Public pages, no login: the callback link sent to complainants and the consumer survey."""

from django.urls import URLPattern, path

from complaints import views_public

urlpatterns: list[URLPattern] = [
    path("callback/<str:token>/", views_public.callback, name="complaint-callback"),
    path("survey/", views_public.survey, name="survey"),
]
