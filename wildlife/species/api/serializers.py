"""API representations of catalogue species and of a status on a date."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from wildlife.species.choices import Protection
from wildlife.species.models import ListVersion, Species


class SpeciesSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    aliases = serializers.SerializerMethodField(help_text="别名、俗名、商品名、原名与学名异名")
    protection = serializers.ChoiceField(choices=Protection.choices, read_only=True, help_text="现行保护级别（今日施行的名录中最高者）")
    protection_list = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="现行级别所依据的名录版本代码")  # type: ignore[var-annotated]

    class Meta:
        model = Species
        fields = [
            "id",
            "name_zh",
            "scientific_name",
            "aliases",
            "protection",
            "protection_list",
            "wild_only",
            "landlocked_only",
            "aquatic",
            "is_livestock",
            "taxon_class",
            "taxon_order",
            "taxon_family",
            "genus",
        ]
        read_only_fields = fields

    def get_aliases(self, obj: Species) -> list[str]:
        return [alias.name for alias in obj.aliases.all()]


class ListVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ListVersion
        fields = ["code", "name", "kind", "document", "effective_from", "effective_to"]
        read_only_fields = fields


class StatusEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    protection = serializers.ChoiceField(choices=Protection.choices)
    list_version = ListVersionSerializer()
    origin = serializers.CharField()
    group_rule = serializers.SerializerMethodField()
    wild_only = serializers.BooleanField()
    landlocked_only = serializers.BooleanField()
    notes = serializers.CharField()

    def get_group_rule(self, obj: Any) -> str | None:
        return str(obj.group_rule) if obj.group_rule is not None else None


class StatusOnDateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    species = serializers.IntegerField()
    on = serializers.DateField()
    protection = serializers.ChoiceField(choices=Protection.choices)
    protection_label = serializers.CharField()
    list_version = ListVersionSerializer(allow_null=True)
    origin = serializers.CharField(allow_blank=True)
    group_rule = serializers.CharField(allow_null=True)
    wild_only = serializers.BooleanField()
    landlocked_only = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True)
    entries = StatusEntrySerializer(many=True)


class StatusQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField(required=False, help_text="YYYY-MM-DD；缺省为今天", error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
