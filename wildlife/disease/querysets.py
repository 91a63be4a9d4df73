"""Scope filters of the disease app.

A station belongs to the town where it stands (`area`) and also serves the towns it covers (`StationCoverage`):
the officers of every covered town see and act on the station, its routes, its reports and the events it raised.
Everything else (events without a station, alerts) follows the plain area rule of ScopedModel.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def _coverage_station_ids(prefix: str) -> Any:
    from wildlife.disease.models import StationCoverage

    return StationCoverage.objects.filter(area__path__startswith=prefix).values("station_id")


def station_q(paths: tuple[str, ...], *, via: str = "") -> Q | None:
    """Stations (reached through the relation `via`, e.g. "station__") standing in or covering one of `paths`."""
    if not paths:
        return None
    q = Q()
    pk_field = f"{via[:-2]}_id" if via else "pk"  # "station__" → "station_id"
    for prefix in paths:
        q |= Q(**{f"{via}area__path__startswith": prefix}) | Q(**{f"{pk_field}__in": _coverage_station_ids(prefix)})
    return q


def station_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    return station_q(scope.paths(action))


def station_child_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """Routes, points, equipment and reports: the scope of their station."""
    return station_q(scope.paths(action), via="station__")


def event_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """An event is seen in the town where it happened and by the towns its station serves."""
    paths = scope.paths(action)
    if not paths:
        return None
    q = Q()
    for prefix in paths:
        q |= Q(area__path__startswith=prefix) | Q(station_id__in=_coverage_station_ids(prefix)) | Q(station__area__path__startswith=prefix)
    return q


def event_child_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """Samples, lab results and other parts of an event: the scope of their event."""
    paths = scope.paths(action)
    if not paths:
        return None
    q = Q()
    for prefix in paths:
        q |= (
            Q(event__area__path__startswith=prefix)
            | Q(event__station_id__in=_coverage_station_ids(prefix))
            | Q(event__station__area__path__startswith=prefix)
        )
    return q


def global_scope(*, user: Any, scope: Any, action: str) -> Q:
    """Rule tables (calendar, deadlines, thresholds) are district-wide reference data: the permission decides."""
    return Q()
