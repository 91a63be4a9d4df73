"""Recompute every species' current protection (run daily: a list that comes into force or expires today shows up
in filters and exports without anyone editing a species)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wildlife.species.services import species_protection_refresh_all


class Command(BaseCommand):
    help = "按今日施行的名录重新计算各物种的现行保护级别（建议每日运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        changed = species_protection_refresh_all(actor=None)
        self.stdout.write(f"现行保护级别已更新：{changed} 种")
