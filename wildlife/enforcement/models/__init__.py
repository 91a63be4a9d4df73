"""Law enforcement: special operations (专项行动), tip-offs, cases and the tracing graph.

Patrols, inspections and trainings live in wildlife.patrols and online-trade monitoring in wildlife.trade; both link
to an Operation here when their work belongs to a special operation.
"""

from wildlife.enforcement.models.cases import (
    Case,
    CaseDecision,
    CaseEvent,
    CaseFlow,
    CaseParty,
    Evidence,
    RescueHandover,
    SeizedItem,
)
from wildlife.enforcement.models.operations import Operation
from wildlife.enforcement.models.rules import BaseValue, LawVersion, PenaltyRule, TransferThreshold, ValueCoefficient
from wildlife.enforcement.models.tipoffs import (
    SerialCounter,
    Tipoff,
    TipoffInformant,
    TipoffPhoto,
    TipoffStep,
    TipoffTimeLimit,
)
from wildlife.enforcement.models.tracing import TraceLink, TraceNode

__all__ = [
    "BaseValue",
    "Case",
    "CaseDecision",
    "CaseEvent",
    "CaseFlow",
    "CaseParty",
    "Evidence",
    "LawVersion",
    "Operation",
    "PenaltyRule",
    "RescueHandover",
    "SeizedItem",
    "SerialCounter",
    "Tipoff",
    "TipoffInformant",
    "TipoffPhoto",
    "TipoffStep",
    "TipoffTimeLimit",
    "TraceLink",
    "TraceNode",
    "TransferThreshold",
    "ValueCoefficient",
]
