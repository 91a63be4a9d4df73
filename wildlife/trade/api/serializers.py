"""Serializers of the listings API (`/api/v1/enforcement/listings/`): field names follow api.md."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from wildlife.core.masking import mask_phone
from wildlife.trade.choices import ImportMode
from wildlife.trade.models import Listing, Platform, TakedownLetter, TradeTerm


class SellerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    account = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True, help_text="掩码（138****5678）；有审核权限者以 ?reveal=1 取得原值（记入审计）")


class ListingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[type-arg]
    platform_name = serializers.CharField(source="platform.name", read_only=True)
    seller = serializers.SerializerMethodField()
    term_version = serializers.IntegerField(source="term_version.number", read_only=True, allow_null=True, default=None)
    area: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[type-arg]
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id", "platform", "platform_name", "external_id", "url", "title", "text", "seller", "price", "captured_at",
            "source", "location_text", "area", "area_name", "risk_score", "flagged", "matched_terms", "highlights",
            "term_version", "scanned_at", "status", "review_note", "reviewed_at", "case_no", "operation", "scan_batch",
            "image_urls", "version",
        ]
        read_only_fields = fields

    def get_seller(self, obj: Listing) -> dict[str, str]:
        reveal = bool(self.context.get("reveal"))
        return {"account": obj.seller_account, "name": obj.seller_name, "phone": obj.seller_phone if reveal else mask_phone(obj.seller_phone)}


class ListingCaptureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    platform = serializers.SlugRelatedField(slug_field="code", queryset=Platform.objects.filter(is_active=True))
    title = serializers.CharField(max_length=300)
    text = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    url = serializers.URLField(required=False, allow_blank=True, max_length=1000, default="")
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    seller_account = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    seller_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    seller_phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    price = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2, min_value=0, default=None)
    captured_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    location_text = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ListingNoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=2000)


class ListingTakedownSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)


class ListingEscalateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ScanRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Either `listings` (JSON objects with the listing field names) or `file` (CSV/xlsx/JSON export, with an
    optional `mapping` {field: column}; without it the platform's saved mapping or a guess from the headers)."""

    platform = serializers.SlugRelatedField(slug_field="code", queryset=Platform.objects.filter(is_active=True))
    listings = serializers.ListField(child=serializers.DictField(), required=False, max_length=50_000)
    file = serializers.FileField(required=False)
    mapping = serializers.JSONField(required=False)
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.VALID_ROWS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("listings")) == bool(attrs.get("file")):
            raise serializers.ValidationError({"listings": ["请提交 listings（商品信息数组）或 file（导出文件）之一"]})
        mapping = attrs.get("mapping")
        if mapping is not None and (not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values())):
            raise serializers.ValidationError({"mapping": ["应为 {字段: 列名} 对象"]})
        return attrs


class ScanJobSerializer(serializers.Serializer):  # type: ignore[type-arg]
    job = serializers.UUIDField()
    job_url = serializers.CharField()
    scan_batch = serializers.IntegerField()
    status = serializers.CharField()


class TradeTermSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    species_name = serializers.CharField(source="species.name_zh", read_only=True, default="")

    class Meta:
        model = TradeTerm
        fields = ["id", "term", "category", "weight", "variants", "species", "species_name", "protection", "enabled", "since_version", "until_version"]
        read_only_fields = fields


class TakedownLetterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[type-arg]
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = TakedownLetter
        fields = ["id", "number", "listing", "platform", "addressee", "reason", "sha256", "issued_at", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, obj: TakedownLetter) -> str:
        return obj.get_absolute_url()
