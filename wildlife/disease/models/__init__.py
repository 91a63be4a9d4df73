"""Models of the disease app (split by topic; import from here)."""

from wildlife.disease.models.alerts import Alert, AlertFollowUp
from wildlife.disease.models.events import (
    CustodyEntry,
    EventDocument,
    EventPhoto,
    EventSpecies,
    LabResult,
    MortalityEvent,
    ReportingStep,
    Sample,
    SupplyLine,
    TeamDispatch,
    TimelineEntry,
)
from wildlife.disease.models.notifications import Notification, OutboundMessage
from wildlife.disease.models.reports import DailyReport, ReportFinding, ReportReminder
from wildlife.disease.models.rules import ChainRule, ClusterRule, GradingRule, KeyPeriod, ReportingRule
from wildlife.disease.models.stations import Equipment, ObservationPoint, PatrolRoute, Station, StationCoverage

__all__ = [
    "Alert",
    "AlertFollowUp",
    "ChainRule",
    "ClusterRule",
    "CustodyEntry",
    "DailyReport",
    "Equipment",
    "EventDocument",
    "EventPhoto",
    "EventSpecies",
    "GradingRule",
    "KeyPeriod",
    "LabResult",
    "MortalityEvent",
    "Notification",
    "ObservationPoint",
    "OutboundMessage",
    "PatrolRoute",
    "ReportFinding",
    "ReportReminder",
    "ReportingRule",
    "ReportingStep",
    "Sample",
    "Station",
    "StationCoverage",
    "SupplyLine",
    "TeamDispatch",
    "TimelineEntry",
]
