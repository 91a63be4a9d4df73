"""The scanner: matching over normalised text, exclusions, the risk score, highlights, and the table built from the
database (species with their protection classes, slang, tools, homophones and pinyin)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from wildlife.trade.scanning.scanner import Scanner, ScanTerm

TERMS = [
    ScanTerm(1, "穿山甲", "species", 60, ("川山甲", "chuanshanjia"), 1, "穿山甲", "national_1"),
    ScanTerm(2, "画眉", "species", 45, (), 2, "画眉", "national_2"),
    ScanTerm(3, "野鸡", "species", 25, (), 3, "环颈雉", "sanyou"),
    ScanTerm(4, "白料", "slang", 55),
    ScanTerm(5, "捕鸟网", "tool", 55),
    ScanTerm(6, "出售", "context", 10),
    ScanTerm(7, "活体", "context", 15),
    ScanTerm(8, "包邮", "context", 8),
    ScanTerm(9, "人工繁育", "mitigating", -35),
    ScanTerm(10, "玩具", "mitigating", -45),
    ScanTerm(11, "象牙白", "exclusion", 0),
    ScanTerm(12, "象牙", "species", 60, (), 4, "亚洲象", "national_1"),
    ScanTerm(13, "野生", "context", 12),
]


@pytest.fixture
def scanner() -> Scanner:
    return Scanner(TERMS, threshold=50, context_window=30)


def test_protection_class_sets_the_base_score(scanner: Scanner) -> None:
    assert scanner.scan("穿山甲").score == 60
    assert scanner.scan("画眉").score == 45
    assert scanner.scan("野鸡").score == 25
    assert scanner.scan("穿山甲").flagged and not scanner.scan("画眉").flagged


def test_context_words_near_a_core_word_raise_the_score(scanner: Scanner) -> None:
    assert scanner.scan("出售画眉活体").score == 45 + 10 + 15
    assert scanner.scan("出售画眉活体").flagged


def test_context_words_far_from_a_core_word_do_not_count(scanner: Scanner) -> None:
    far = "画眉" + "的" * 40 + "出售"
    assert scanner.scan(far).score == 45
    near = "画眉" + "的" * 29 + "出售"
    assert scanner.scan(near).score == 55


def test_context_alone_scores_nothing(scanner: Scanner) -> None:
    result = scanner.scan("全新出售，包邮，活体")
    assert result.score == 0 and not result.flagged and result.hits == []


def test_each_context_word_counts_once_and_the_bonus_is_capped(scanner: Scanner) -> None:
    assert scanner.scan("画眉 出售 出售 出售").score == 55
    assert scanner.scan("画眉 出售 活体 包邮 野生").score == 45 + 30


def test_further_core_words_add_ten_each_up_to_twenty(scanner: Scanner) -> None:
    assert scanner.scan("野鸡 画眉").score == 45 + 10
    assert scanner.scan("野鸡 画眉 捕鸟网 白料").score == 55 + 20


def test_mitigating_words_lower_the_score(scanner: Scanner) -> None:
    assert scanner.scan("人工繁育画眉").score == 45 - 35
    assert scanner.scan("穿山甲 玩具").score == 15
    assert not scanner.scan("穿山甲 毛绒 玩具 包邮").flagged


def test_exclusion_phrase_cancels_the_word_it_overlaps(scanner: Scanner) -> None:
    assert scanner.scan("象牙白瓷砖出售").score == 0
    assert scanner.scan("象牙白瓷砖，另有象牙手镯出售").score == 70


def test_price_adds_to_a_hit_only(scanner: Scanner) -> None:
    assert scanner.scan("画眉", Decimal("1500")).score == 50
    assert scanner.scan("画眉", Decimal("20000")).score == 55
    assert scanner.scan("二手自行车", Decimal("20000")).score == 0


def test_score_is_capped_at_100(scanner: Scanner) -> None:
    assert scanner.scan("穿山甲 白料 象牙 出售 活体 野生 包邮", Decimal("50000")).score == 100


@pytest.mark.parametrize("text", ["穿 山 甲 出售", "川山甲出售", "chuan shan jia 出售", "CHUANSHANJIA出售", "穿*山*甲出售", "ｃｈｕａｎｓｈａｎｊｉａ出售", "穿🐾山🐾甲出售"])
def test_evasion_forms_are_found(scanner: Scanner, text: str) -> None:
    result = scanner.scan(text)
    assert [h.term.term for h in result.hits if h.term.category == "species"] == ["穿山甲"]
    assert result.score == 70


def test_a_word_across_a_sentence_break_is_not_found(scanner: Scanner) -> None:
    assert scanner.scan("穿山。甲").score == 0


def test_batch_results_stay_with_their_listings(scanner: Scanner) -> None:
    texts = ["二手书", "出售画眉活体", "", "象牙白", "白料手串", "捕 鸟 网"]
    results = scanner.scan_many(texts)
    assert [r.score for r in results] == [0, 70, 0, 0, 55, 55]
    assert results == [scanner.scan(t) for t in texts]


def test_batch_of_many_listings_matches_one_at_a_time_even_with_nul_inside(scanner: Scanner) -> None:
    import random

    rng = random.Random(7)
    words = ["出售", "画眉", "活体", "白料", "穿 山 甲", "包邮", "象牙白", "江山", "，", "货", "\x00", "书", "捕鸟网", "人工繁育"]
    texts = ["".join(rng.choice(words) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    results = scanner.scan_many(texts)
    assert results == [scanner.scan(t.replace("\x00", "")) for t in texts]
    assert sum(r.flagged for r in results) > 50  # the sample does hold hits in many listings


def test_highlight_maps_hits_back_to_the_original_text(scanner: Scanner) -> None:
    text = "急出！出售 穿*山*甲 活体，包邮"
    spans = scanner.highlight(text)
    assert [(text[s.start : s.end], s.category) for s in spans] == [("出售", "context"), ("穿*山*甲", "species"), ("活体", "context"), ("包邮", "context")]


def test_matched_terms_list_core_words_first(scanner: Scanner) -> None:
    matched = scanner.scan("出售画眉，人工繁育").matched_terms()
    assert [m["term"] for m in matched] == ["画眉", "出售", "人工繁育"]
    assert matched[0]["protection"] == "national_2" and matched[0]["species"] == "画眉"


def test_empty_table_finds_nothing() -> None:
    assert Scanner([]).scan_many(["穿山甲", "白料"])[1].score == 0


@pytest.mark.django_db
def test_table_from_database_knows_species_slang_tools_homophones_and_pinyin(catalogue_terms: Any) -> None:
    from wildlife.trade.services import scanner_for_version

    scanner = scanner_for_version(catalogue_terms)
    cases = {
        "出售禾花雀十只": ("禾花雀", "national_1"),
        "hehuaque 十只": ("禾花雀", "national_1"),
        "川山甲 活的": ("穿山甲", "national_1"),
        "果子狸一只": ("果子狸", "sanyou"),
        "娃娃鱼 野生": ("娃娃鱼", "national_2"),
    }
    for text, (term, protection) in cases.items():
        result = scanner.scan(text)
        species = [h.term for h in result.hits if h.term.category == "species"]
        assert any(t.term == term and t.protection == protection for t in species), text
    assert any(h.term.term == "白料" for h in scanner.scan("白料手串").hits)
    assert any(h.term.category == "tool" for h in scanner.scan("粘网 50米").hits)
    assert scanner.scan("象牙白瓷砖").score == 0


def test_a_word_inside_a_longer_one_is_one_mention() -> None:
    scanner = Scanner([ScanTerm(1, "画眉", "species", 45), ScanTerm(2, "画眉鸟", "species", 45), ScanTerm(3, "象牙", "species", 60), ScanTerm(4, "象牙制品", "slang", 60)])
    assert scanner.scan("画眉鸟一只").score == 45
    assert [h.term.term for h in scanner.scan("画眉鸟").hits] == ["画眉鸟"]
    assert scanner.scan("象牙制品 画眉").score == 70
