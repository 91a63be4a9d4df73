"""GeoJSON renderer: lists with locations answer ?format=geojson (api.md)."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"
