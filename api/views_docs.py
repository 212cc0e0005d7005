"""The API's browsable docs (issue 18 item 1): Swagger UI on the OpenAPI schema, under the CSP.

drf-spectacular's own docs views put an inline ``<script>`` and ``<style>`` in the page, and its
Redoc template fetches fonts from Google: the portal's Content-Security-Policy (scripts and
styles from the portal only, no inline code) refuses all three. This page is a plain template
instead, whose Swagger UI bundle and stylesheet are the vendored ``drf_spectacular_sidecar``
files served from ``STATIC_URL`` and whose start-up is a static script reading the schema's
address from a data attribute. Everyone may read it, as everyone may read the schema.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

TEMPLATE = "api/docs.html"
SWAGGER_DIST = "drf_spectacular_sidecar/swagger-ui-dist"


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = reverse("api-schema")
    return render(
        request,
        TEMPLATE,
        {
            "schema_url": schema,
            "schema_json_url": f"{schema}?format=json",
            "swagger_dist": SWAGGER_DIST,
        },
    )
