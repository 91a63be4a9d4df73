"""Access to catalogue records: every business user with the department permission sees the whole catalogue."""

from __future__ import annotations

from typing import Any

from wildlife.core.access import get_in_scope_or_404
from wildlife.species.models import ListVersion, Species, SpeciesAlias, SpeciesStatus


def access_species_by_id(user: Any, species_id: Any, *, action: str = "view") -> Species:
    """The species if the user may `action` it (404 otherwise, the same answer as a missing one)."""
    return get_in_scope_or_404(Species, user, species_id, action=action)


def access_list_version_by_id(user: Any, version_id: Any, *, action: str = "view") -> ListVersion:
    """A list version the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(ListVersion, user, version_id, action=action)


def access_alias_by_id(user: Any, alias_id: Any, *, action: str = "delete") -> SpeciesAlias:
    """An alias the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(SpeciesAlias, user, alias_id, action=action)


def access_status_by_id(user: Any, status_id: Any, *, action: str = "delete") -> SpeciesStatus:
    """A species status the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(SpeciesStatus, user, status_id, action=action)
