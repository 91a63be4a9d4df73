"""Helpers other apps' tests may call: the demo catalogue and quick species factories."""

from __future__ import annotations

from typing import Any

from wildlife.species.models import Species


def load_demo_catalogue() -> str:
    """Load the demo species catalogue (list versions, ~250 species, aliases, group rules) into the test database."""
    from wildlife.species.demo import load

    return load()


def species_by_name(name_zh: str) -> Species:
    """A catalogue species by its Chinese name (load the demo catalogue first)."""
    return Species.objects.get(name_zh=name_zh)


def make_species(name_zh: str, scientific_name: str, **fields: Any) -> Species:
    """A species created through the service (pinyin computed, group rules applied), without an acting user."""
    from wildlife.species.services import species_create

    return species_create(actor=None, name_zh=name_zh, scientific_name=scientific_name, **fields)
