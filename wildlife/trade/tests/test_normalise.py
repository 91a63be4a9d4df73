"""Normalisation of listing text: evasion forms, the offset map, and the fast batch path agreeing with the reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildlife.trade.scanning.normalise import RECORD_SEPARATOR, normalise, normalise_fast, normalise_term


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("穿 山 甲", "穿山甲"),  # spaces between characters
        ("穿*山*甲", "穿山甲"),  # symbols
        ("穿.山.甲", "穿山甲"),
        ("穿-山_甲", "穿山甲"),
        ("穿🐾山🐾甲", "穿山甲"),  # emoji
        ("穿\u200b山\u200d甲", "穿山甲"),  # zero-width characters
        ("穿\u3000山\u3000甲", "穿山甲"),  # ideographic space
        ("穿「山」甲", "穿山甲"),  # brackets
        ("“穿”“山”“甲”", "穿山甲"),
        ("ＸＩＡＮＧ ＹＡ", "xiangya"),  # full-width letters, upper case
        ("ChuanShanJia", "chuanshanjia"),
        ("Ｍａｎｉｓ　ｊａｖａｎｉｃａ", "manisjavanica"),
        ("１２３元", "123元"),  # full-width digits
        ("㎏", "kg"),  # compatibility character
        ("e\u0301", "e"),  # combining accent dropped
    ],
)
def test_evasion_forms_normalise_to_the_plain_word(text: str, expected: str) -> None:
    assert normalise(text)[0] == expected
    assert normalise_fast(text) == expected


def test_clause_punctuation_stays_a_boundary() -> None:
    # "江山，货到付款" must not read as 山货
    assert normalise("江山，货到付款")[0] == "江山，货到付款"
    assert "山货" not in normalise("江山。货到")[0]
    assert "山货" not in normalise("江山！货到")[0]
    assert "山货" not in normalise("江山?货到")[0]


def test_offsets_map_every_normalised_character_to_its_original() -> None:
    text = "出售 穿*山*甲，ＶＸ：ab"
    normalised, offsets = normalise(text)
    assert normalised == "出售穿山甲，vx：ab"
    assert len(offsets) == len(normalised) + 1
    for index, ch in enumerate(normalised):
        original = text[offsets[index]]
        assert normalise(original)[0] == ch
    start = normalised.index("穿山甲")
    assert text[offsets[start] : offsets[start + 2] + 1] == "穿*山*甲"


def test_one_character_can_expand_and_keep_its_offset() -> None:
    normalised, offsets = normalise("a㎏b")
    assert normalised == "akgb"
    assert offsets[:4] == [0, 1, 1, 2]


def test_terms_normalise_like_text() -> None:
    assert normalise_term("穿 山 甲") == "穿山甲"
    assert normalise_term("Bu Niao Wang") == "buniaowang"
    assert normalise_term("***") == ""


def test_record_separator_survives_for_batches() -> None:
    joined = RECORD_SEPARATOR.join(["穿山", "甲"])
    assert normalise_fast(joined) == "穿山\x00甲"


_ALPHABET = st.one_of(
    st.sampled_from(list("穿山甲象牙出售包邮 *·.,，。！!？、-_|/\\~野生ＡＢＣａｂｃＸＹＺxyzABC123１２３㎏①ⅫÅé\u200b\u3000\u0301🐾🦜¥$")),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_fast_path_equals_reference(text: str) -> None:
    assert normalise_fast(text) == normalise(text)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=30), min_size=1, max_size=5))
def test_fast_path_keeps_batches_apart(texts: list[str]) -> None:
    texts = [t.replace(RECORD_SEPARATOR, "") for t in texts]
    pieces = normalise_fast(RECORD_SEPARATOR.join(texts)).split(RECORD_SEPARATOR)
    assert pieces == [normalise(t)[0] for t in texts]
