"""Periodic work of the species catalogue (run by the jobs worker, see wildlife/jobs/schedule.py)."""

from wildlife.species.services import species_protection_refresh_all


def refresh_protection() -> str:
    """Daily: a list version that comes into force or expires today changes the cached current class."""
    return f"{species_protection_refresh_all(actor=None)} species changed"
