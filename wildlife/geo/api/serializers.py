from rest_framework import serializers

from wildlife.geo.models import AdminArea


class AdminAreaSerializer(serializers.ModelSerializer[AdminArea]):
    """An area of the scope tree (api.md: id, code, name, level, parent; plus kind, administered_by, schematic)."""

    schematic = serializers.BooleanField(source="boundary_is_schematic", read_only=True, help_text="边界为示意边界（非官方）")

    class Meta:
        model = AdminArea
        fields = ["id", "code", "name", "level", "parent", "kind", "administered_by", "schematic", "area_km2", "boundary_crs", "boundary_updated_at"]
        read_only_fields = fields
