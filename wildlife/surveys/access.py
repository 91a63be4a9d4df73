"""One record of the surveys module within the user's scope, or 404 (missing and out of scope look the same)."""

from __future__ import annotations

from typing import Any

from wildlife.core.access import get_in_scope_or_404
from wildlife.surveys.models import (
    CameraMedia,
    MigrationCount,
    Observation,
    ObservationPhoto,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
)


def access_project_by_id(user: Any, project_id: Any, *, action: str = "view") -> SurveyProject:
    """A survey project the user may `action` (town users view the district's projects, change none)."""
    return get_in_scope_or_404(SurveyProject, user, project_id, action=action)


def access_site_by_id(user: Any, site_id: Any, *, action: str = "view") -> SurveySite:
    """A survey site in the user's areas."""
    return get_in_scope_or_404(SurveySite, user, site_id, action=action)


def access_event_by_id(user: Any, event_id: Any, *, action: str = "view") -> SamplingEvent:
    """A sampling event in the user's areas."""
    return get_in_scope_or_404(SamplingEvent, user, event_id, action=action)


def access_observation_by_id(user: Any, observation_id: Any, *, action: str = "view") -> Observation:
    """An observation in the user's areas."""
    return get_in_scope_or_404(Observation, user, observation_id, action=action)


def access_photo_by_id(user: Any, photo_id: Any, *, action: str = "view") -> ObservationPhoto:
    """An observation photo in the user's areas."""
    return get_in_scope_or_404(ObservationPhoto, user, photo_id, action=action)


def access_media_by_id(user: Any, media_id: Any, *, action: str = "view") -> CameraMedia:
    """A camera-trap media record in the user's areas."""
    return get_in_scope_or_404(CameraMedia, user, media_id, action=action)


def access_migration_count_by_id(user: Any, record_id: Any, *, action: str = "view") -> MigrationCount:
    """A migration count in the user's areas."""
    return get_in_scope_or_404(MigrationCount, user, record_id, action=action)


def access_water_reading_by_id(user: Any, reading_id: Any, *, action: str = "view") -> WaterQualityReading:
    """A water-quality reading in the user's areas."""
    return get_in_scope_or_404(WaterQualityReading, user, reading_id, action=action)


def access_archive_by_id(user: Any, archive_id: Any, *, action: str = "view") -> SpeciesArchive:
    """A resource archive the user may `action` (town users read the district's archives)."""
    return get_in_scope_or_404(SpeciesArchive, user, archive_id, action=action)
