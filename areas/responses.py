"""The answer of the demonstration-area pages to a query they cannot read (a year that is not one,
a street or kind that does not exist in a list's filter): 400 with a Chinese message naming the
problem and a way back, instead of a page silently showing something else."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_input(request: HttpRequest, message: str, back: str) -> HttpResponse:
    return render(request, "areas/bad_input.html", {"message": message, "back": back}, status=400)


def form_problems(form: forms.Form) -> str:
    """A bound form's errors as one line: "field: problem；field: problem"."""
    return "；".join(
        f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )
