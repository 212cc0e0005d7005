"""Street outlines for the leaders' big screen (issue 14 item 6).

The system administrator uploads one GeoJSON file of the streets: a ``FeatureCollection`` whose
features are Polygons or MultiPolygons in longitude/latitude, each naming its street by division
code or name in its properties. The file is checked whole before anything is stored: any problem
is one Chinese message naming it, and the outlines stay as they were. A good file replaces every
outline (a street missing from it has none afterwards), so the screen shows exactly the file.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.models import Jurisdiction, User

MAX_BYTES = 5 * 1024 * 1024
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
# Property names a street's file may use for its code and its name (common GIS exports).
CODE_KEYS = ("code", "adcode", "division_code", "CODE", "ADCODE")
NAME_KEYS = ("name", "NAME", "Name", "名称")


def _position_ok(position: Any) -> bool:
    if not isinstance(position, list) or len(position) < 2:
        return False
    lon, lat = position[0], position[1]
    if isinstance(lon, bool) or isinstance(lat, bool):
        return False
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return False
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def _polygon_ok(rings: Any) -> bool:
    """A polygon: a non-empty list of closed rings of at least four positions."""
    if not isinstance(rings, list) or not rings:
        return False
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return False
        if not all(_position_ok(position) for position in ring) or ring[0][:2] != ring[-1][:2]:
            return False
    return True


def _geometry_ok(geometry: Any) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return False
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        return _polygon_ok(coordinates)
    return (
        isinstance(coordinates, list)
        and bool(coordinates)
        and all(_polygon_ok(polygon) for polygon in coordinates)
    )


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = properties.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _load(content: bytes) -> Any:
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The GeoJSON file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(
            _("The GeoJSON file is not valid JSON (UTF-8 text expected).")
        ) from None


def parse_street_boundaries(content: bytes) -> dict[int, dict[str, Any]]:
    """The outline of each street the file names, by jurisdiction primary key; ValidationError
    with one Chinese message for the first problem found."""
    data = _load(content)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("The GeoJSON file must be a FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The GeoJSON file has no features."))
    streets = list(Jurisdiction.objects.exclude(kind=Jurisdiction.Kind.DISTRICT))
    by_code = {street.code: street for street in streets}
    by_name = {street.name: street for street in streets}
    found: dict[int, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(_("Feature %(n)s is not a GeoJSON Feature.") % {"n": number})
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        code, name = _first(properties, CODE_KEYS), _first(properties, NAME_KEYS)
        street = by_code.get(code) or by_name.get(name)
        if street is None:
            raise ValidationError(
                _("Feature %(n)s (%(label)s) matches no street by code or name.")
                % {"n": number, "label": code or name or _("no code or name")}
            )
        if not _geometry_ok(feature.get("geometry")):
            raise ValidationError(
                _(
                    "Feature %(n)s (%(street)s) needs a Polygon or MultiPolygon geometry of "
                    "closed rings in longitude and latitude."
                )
                % {"n": number, "street": street.name}
            )
        if street.pk in found:
            raise ValidationError(
                _("Feature %(n)s: %(street)s appears twice in the file.")
                % {"n": number, "street": street.name}
            )
        geometry = feature["geometry"]
        found[street.pk] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    return found


@transaction.atomic
def boundaries_upload(*, content: bytes, by: User, filename: str = "") -> int:
    """Replace the streets' outlines with those of the file (checked whole first); the number of
    streets that have one now."""
    outlines = parse_street_boundaries(content)
    streets = list(
        Jurisdiction.objects.select_for_update()
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("pk")
    )
    for street in streets:
        outline = outlines.get(street.pk)
        if street.boundary != outline:
            street.boundary = outline
            street.save(update_fields=["boundary"])
    audit.record(
        "jurisdiction.boundaries_uploaded",
        actor=by,
        filename=filename[:200],
        streets=sorted(street.code for street in streets if street.pk in outlines),
    )
    return len(outlines)
