"""API representations. The informant is never part of any resource; party identifiers are masked unless the caller
holds enforcement.reveal_party and asks with ?reveal=1 (audited by the view)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.accounts.models import Department
from wildlife.enforcement.choices import (
    STAFF_CHANNELS,
    CaseEventKind,
    CaseOrigin,
    CaseOutcome,
    DecisionKind,
    FlowKind,
    ItemCondition,
    ItemForm,
    OffenceType,
    PartyKind,
    PartyRole,
    TipoffCategory,
    TipoffChannel,
    TipoffKind,
)
from wildlife.enforcement.models import Case, CaseParty, Operation, PenaltyRule, RescueHandover, SeizedItem, Tipoff


class SpeciesNameField(serializers.CharField):
    """A species given by name (or alias / pinyin / scientific name) or id."""

    def to_internal_value(self, data: Any) -> Any:
        from wildlife.species.models import Species
        from wildlife.species.selectors import species_resolve

        if data in (None, ""):
            return None
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            species = Species.objects.filter(pk=int(data)).first()
            if species is None:
                raise serializers.ValidationError(_("物种不存在。"))
            return species
        species, _suggestions = species_resolve(str(data))
        if species is None:
            raise serializers.ValidationError(_("未找到物种“%(name)s”。") % {"name": data})
        return species

    def to_representation(self, value: Any) -> Any:
        return value.name_zh if value is not None else None


class TipoffSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField(required=False, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    species: Any = serializers.SlugRelatedField(slug_field="name_zh", read_only=True)
    case_no = serializers.CharField(source="case.case_no", read_only=True, default=None)

    class Meta:
        model = Tipoff
        fields = [
            "id", "receipt_no", "channel", "kind", "category", "content", "location", "address", "area", "occurred_at", "received_at",
            "status", "due_at", "overdue", "species", "anonymous", "assigned_department", "assigned_town", "findings", "actions_taken",
            "reply", "replied_at", "closed_at", "case", "case_no", "operation", "source_label", "updated_at", "version",
        ]
        read_only_fields = fields


class InformantInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TipoffCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Staff intake. `informant` is write-only: it is stored encrypted and never returned."""

    channel = serializers.ChoiceField(choices=[(c, TipoffChannel(c).label) for c in STAFF_CHANNELS])
    kind = serializers.ChoiceField(choices=TipoffKind.choices, default=TipoffKind.ILLEGAL)
    content = serializers.CharField(max_length=5000)
    location = GeometryField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    species = SpeciesNameField(required=False, allow_null=True)
    informant = InformantInputSerializer(required=False, write_only=True)
    source_ref = serializers.CharField(required=False, allow_blank=True, max_length=80)
    source_label = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_area(self, value: int | None) -> Any:
        from wildlife.geo.models import AdminArea

        if value is None:
            return None
        area = AdminArea.objects.filter(pk=value).first()
        if area is None:
            raise serializers.ValidationError(_("镇街不存在。"))
        return area


class TriageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.ChoiceField(choices=TipoffCategory.choices)
    species = SpeciesNameField(required=False, allow_null=True)
    location = GeometryField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    validate_area = TipoffCreateSerializer.validate_area


class AssignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    town = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_town(self, value: int | None) -> Any:
        return TipoffCreateSerializer.validate_area(self, value)  # type: ignore[arg-type]


class HandleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    findings = serializers.CharField(max_length=5000)
    actions_taken = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReplySerializer(serializers.Serializer):  # type: ignore[type-arg]
    reply = serializers.CharField(max_length=3000)


class NoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EscalateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=200)
    offence_type = serializers.ChoiceField(choices=OffenceType.choices, required=False, allow_blank=True)


# --- cases -------------------------------------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Masked by default; full values only with ?reveal=1 and enforcement.reveal_party (context["reveal"])."""

    display_name = serializers.CharField(read_only=True)
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    identifier = serializers.SerializerMethodField()

    class Meta:
        model = CaseParty
        fields = ["id", "kind", "role", "name", "display_name", "identifier", "phone", "id_number", "address", "note"]

    def _reveal(self) -> bool:
        return bool(self.context.get("reveal"))

    def get_phone(self, obj: CaseParty) -> str:
        return obj.phone if self._reveal() else obj.masked_phone

    def get_id_number(self, obj: CaseParty) -> str:
        return obj.id_number if self._reveal() else obj.masked_id_number

    def get_address(self, obj: CaseParty) -> str:
        return obj.address if self._reveal() else obj.masked_address

    def get_identifier(self, obj: CaseParty) -> str:
        from wildlife.enforcement.tracing import mask_identifier

        return obj.identifier if self._reveal() else mask_identifier(obj.kind, obj.identifier)


class PartyInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.SUSPECT)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    identifier = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SeizedItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    species = SpeciesNameField(required=False, allow_null=True)
    handover = serializers.SerializerMethodField()

    class Meta:
        model = SeizedItem
        fields = ["id", "species", "description", "count", "unit", "condition", "form", "captive_bred", "storage_place", "actual_price", "base_value", "assessed_value", "handover"]
        read_only_fields = ["base_value", "assessed_value", "handover"]

    def get_handover(self, obj: SeizedItem) -> dict[str, Any] | None:
        handover = getattr(obj, "handover", None)
        if handover is None:
            return None
        return {"id": handover.pk, "receipt_no": handover.receipt_no, "status": handover.status}


class SeizedItemInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    species = SpeciesNameField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    count = serializers.IntegerField(min_value=1)
    unit = serializers.CharField(required=False, default="只", max_length=10)
    condition = serializers.ChoiceField(choices=ItemCondition.choices)
    form = serializers.ChoiceField(choices=ItemForm.choices, default=ItemForm.WHOLE)
    captive_bred = serializers.BooleanField(required=False, default=False)
    storage_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    actual_price = serializers.DecimalField(required=False, allow_null=True, max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField(required=False, allow_null=True)
    parties = serializers.SerializerMethodField()
    items = SeizedItemSerializer(many=True, read_only=True)
    lead_department: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    involved_departments: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "case_no", "title", "status", "area", "origin", "origin_ref", "origin_label", "tipoff", "offence_type", "offence_date",
            "for_food", "banned_tools_in_closure", "illegal_gains", "summary", "location", "address", "lead_department", "involved_departments",
            "operation", "parties", "items", "assessed_value", "transfer_recommended", "assessment", "opened_at", "transferred_at",
            "transfer_letter_no", "outcome", "outcome_note", "closed_at", "updated_at", "version",
        ]
        read_only_fields = fields

    def get_parties(self, obj: Case) -> list[dict[str, Any]]:
        # built by hand from the prefetched parties: a nested serializer per case cost more than the query
        from wildlife.enforcement.tracing import mask_identifier

        reveal = bool(self.context.get("reveal"))
        parties = sorted(obj.parties.all(), key=lambda p: p.pk)
        return [
            {
                "id": p.pk, "kind": p.kind, "role": p.role, "name": p.name, "display_name": p.display_name,
                "identifier": p.identifier if reveal else mask_identifier(p.kind, p.identifier),
                "phone": p.phone if reveal else p.masked_phone,
                "id_number": p.id_number if reveal else p.masked_id_number,
                "address": p.address if reveal else p.masked_address,
                "note": p.note,
            }
            for p in parties
        ]


class CaseCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    origin = serializers.ChoiceField(choices=CaseOrigin.choices)
    origin_ref = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    origin_label = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    title = serializers.CharField(max_length=200)
    area = serializers.IntegerField(required=False, allow_null=True)
    location = GeometryField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    offence_date = serializers.DateField(required=False, allow_null=True)
    offence_type = serializers.ChoiceField(choices=OffenceType.choices, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)

    validate_area = TipoffCreateSerializer.validate_area


class TransferSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=3000)
    recipient = serializers.CharField(required=False, allow_blank=True, max_length=100)


class DecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    decided_on = serializers.DateField()
    document_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
    penalty_rule = serializers.PrimaryKeyRelatedField(queryset=PenaltyRule.objects.all(), required=False, allow_null=True)
    fine_amount = serializers.DecimalField(required=False, allow_null=True, max_digits=14, decimal_places=2)
    confiscation = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CloseCaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=3000)


class EventSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=CaseEventKind.choices)
    title = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class FlowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    from_party = serializers.IntegerField()
    to_party = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FlowKind.choices)
    species = SpeciesNameField(required=False, allow_null=True)
    quantity = serializers.CharField(required=False, allow_blank=True, max_length=60)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HandoverSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    species: Any = serializers.SlugRelatedField(slug_field="name_zh", read_only=True)
    case_no = serializers.CharField(source="case.case_no", read_only=True)

    class Meta:
        model = RescueHandover
        fields = ["id", "receipt_no", "case", "case_no", "item", "species", "count", "status", "handed_at", "condition_note", "picked_up_at", "rescue_ref", "area"]
        read_only_fields = fields


class PickUpSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rescue_ref = serializers.CharField(max_length=60)


class OperationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    lead_department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    departments = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Department.objects.all(), required=False)

    class Meta:
        model = Operation
        fields = ["id", "code", "name", "status", "start_date", "end_date", "lead_department", "departments", "targets", "summary", "area", "version"]
        read_only_fields = ["area"]
