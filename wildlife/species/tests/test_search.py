"""Search, resolution and the term table."""

import pytest

from wildlife.species.choices import Protection
from wildlife.species.selectors import species_resolve, species_search, species_term_table

pytestmark = pytest.mark.django_db


def names(term, limit=5):
    return [s.name_zh for s in species_search(term)[:limit]]


def test_folk_name_finds_the_species(catalogue):
    assert names("禾花雀")[0] == "黄胸鹀"
    assert names("果子狸")[0] == "花面狸"
    assert names("娃娃鱼")[0] == "大鲵"
    assert names("野鸡")[0] == "环颈雉"
    assert set(names("白料")) == {"亚洲象", "非洲象"}


def test_pinyin_initials_and_full_pinyin(catalogue):
    assert names("hxw")[0] == "黄胸鹀"
    assert names("HXW")[0] == "黄胸鹀"
    assert names("huangxiongwu")[0] == "黄胸鹀"
    assert "黄胸鹀" in names("huangxiong")
    assert names("hhq")[0] == "黄胸鹀"  # initials of the alias 禾花雀


def test_scientific_name_case_insensitive(catalogue):
    assert names("emberiza aureola")[0] == "黄胸鹀"
    assert names("EMBERIZA AUREOLA")[0] == "黄胸鹀"
    genus = names("Emberiza", limit=10)
    assert "黄胸鹀" in genus and "黄喉鹀" in genus


def test_ranking_exact_then_prefix_then_contains(catalogue):
    results = list(species_search("白鹭"))
    assert results[0].name_zh == "白鹭" and results[0].search_rank == 3
    ranks = [s.search_rank for s in results]
    assert ranks == sorted(ranks, reverse=True)
    assert {"大白鹭", "黄嘴白鹭"} <= {s.name_zh for s in results if s.search_rank == 1}
    prefix = list(species_search("白"))
    assert all(s.name_zh.startswith("白") or s.search_rank < 2 or s.aliases.filter(name__startswith="白").exists() for s in prefix)


def test_empty_and_unknown_terms(catalogue):
    assert species_search("").count() == len(catalogue)
    assert not species_search("独角兽").exists()


def test_resolve_by_every_kind_of_name(catalogue):
    bunting = catalogue["黄胸鹀"]
    assert species_resolve("Emberiza aureola") == (bunting, [])
    assert species_resolve("emberiza  aureola")[0] == bunting
    assert species_resolve("黄胸鹀") == (bunting, [])
    assert species_resolve("禾花雀") == (bunting, [])
    hit, suggestions = species_resolve("大雁")  # several species share this folk name
    assert hit is None and {"鸿雁", "豆雁", "灰雁"} <= {s.name_zh for s in suggestions}
    hit, suggestions = species_resolve("黄胸鸟")
    assert hit is None and suggestions[0].name_zh == "黄胸鹀"
    hit, suggestions = species_resolve("Emberiza aureolla")
    assert hit is None and suggestions[0].name_zh == "黄胸鹀"
    assert species_resolve("") == (None, [])


def test_term_table_has_names_aliases_and_trade_terms(catalogue):
    table = species_term_table()
    by_term = {}
    for term in table:
        by_term.setdefault(term.term, []).append(term)
    assert {t.name_zh for t in by_term["白料"]} == {"亚洲象", "非洲象"}
    [ivory] = [t for t in by_term["白料"] if t.name_zh == "亚洲象"]
    assert (ivory.kind, ivory.protection) == ("trade", Protection.NATIONAL_1)
    assert by_term["甲片"][0].name_zh in ("穿山甲", "马来穿山甲")
    assert by_term["黄胸鹀"][0].kind == "name_zh"
    assert by_term["Emberiza aureola"][0].kind == "scientific_name"
    assert len({t.species_id for t in table}) == len(catalogue)
