"""Species search (Chinese name, alias, pinyin initials, scientific name) through the selector vs raw SQL.

Data: the demo catalogue plus the 2023 三有 transcription from the shared data folder when present (~2,000 species,
a realistic catalogue size). Both sides return the first 20 matches of the same terms.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.db import connection

from bench.common import Figure, rate
from wildlife.species.models import Species, SpeciesAlias
from wildlife.species.selectors import species_search

TERMS = ["禾花雀", "hxw", "黄胸鹀", "Emberiza", "果子狸", "鹭", "gzl", "Ardea", "猫", "bm", "娃娃鱼", "hl", "雀", "Falco", "穿山甲"]


def _load() -> None:
    if Species.objects.count() > 1000:
        return
    from wildlife.species.demo import load

    load()
    for candidate in (os.environ.get("WILDLIFE_SHARED_DATA", ""), "../shared/data", "/work/shared/data"):
        path = Path(candidate) / "species" / "sanyou-wildlife-2023.json"
        if candidate and path.exists():
            from wildlife.species.importers import VersionSpec, import_species_list

            spec = VersionSpec(code="sanyou-2023", kind="sanyou", effective_from=dt.date(2023, 6, 26))
            import_species_list(actor=None, path=path, spec=spec)
            break


def run() -> list[Figure]:
    _load()
    species_table = Species._meta.db_table
    alias_table = SpeciesAlias._meta.db_table
    like = "LIKE" if connection.vendor == "sqlite" else "ILIKE"
    sql = (
        f"SELECT s.id, s.name_zh, s.scientific_name FROM {species_table} s "
        f"WHERE s.name_zh LIKE %s OR s.pinyin_initials LIKE %s OR s.pinyin LIKE %s OR s.scientific_name {like} %s "
        f"OR s.id IN (SELECT a.species_id FROM {alias_table} a WHERE a.name LIKE %s OR a.pinyin_initials LIKE %s) "
        "ORDER BY length(s.name_zh), s.pinyin LIMIT 20"
    )

    def ours() -> int:
        for term in TERMS:
            list(species_search(term).values_list("id", "name_zh", "scientific_name")[:20])
        return len(TERMS)

    def raw() -> int:
        with connection.cursor() as cursor:
            for term in TERMS:
                pattern = f"%{term.lower() if term.isascii() else term}%"
                cursor.execute(sql, [pattern] * 6)
                cursor.fetchall()
        return len(TERMS)

    count = Species.objects.count()
    hxw = list(species_search("hxw").values_list("name_zh", flat=True)[:5])
    assert "黄胸鹀" in hxw, hxw  # 褐胸鹟 shares the initials
    # informational: quality.md sets no target for catalogue search; ORM query compilation dominates at this size
    return [Figure(f"species_search ({count:,} species, first 20)", rate(ours), rate(raw), "searches/s")]
