"""Area pages and the area GeoJSON layer used by every map."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from wildlife.geo.selectors import area_list


@login_required
def areas_geojson(request: HttpRequest) -> HttpResponse:
    """Boundaries of the areas in the user's scope (simplified for display)."""
    features = []
    for area in area_list(user=request.user).exclude(boundary__isnull=True).only(
        "id", "code", "name", "level", "boundary", "boundary_is_schematic", "parent_id"
    ):
        assert area.boundary is not None
        geometry = area.boundary.simplify(0.0005, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "id": area.pk,
                "geometry": json.loads(geometry.geojson),
                "properties": {
                    "name": area.name,
                    "code": area.code,
                    "level": area.level,
                    "schematic": area.boundary_is_schematic,
                },
            }
        )
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )
