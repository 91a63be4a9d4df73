import pytest

from wildlife.species.choices import AliasKind, Protection
from wildlife.species.names import LevelError, looks_latin, normalize_scientific, parse_level, parse_notes, pinyin_of


def test_pinyin_full_and_initials():
    assert pinyin_of("黄胸鹀") == ("huangxiongwu", "hxw")
    assert pinyin_of("Sitta leucopsis") == ("", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ⅰ", Protection.NATIONAL_1),
        ("国家一级", Protection.NATIONAL_1),
        ("国家二级重点保护野生动物（仅限野外种群）", Protection.NATIONAL_2),
        ("II", Protection.NATIONAL_2),
        ("三有", Protection.SANYOU),
        ("省重点", Protection.PROVINCIAL),
    ],
)
def test_parse_level(value, expected):
    assert parse_level(value) == expected


@pytest.mark.parametrize("value", ["国家三级", "三级", "Ⅲ", "国家三级重点保护野生动物"])
def test_class_three_is_refused_with_the_reason(value):
    with pytest.raises(LevelError) as info:
        parse_level(value)
    message = str(info.value)
    assert "没有“国家三级”" in message and "三有" in message and "省重点" in message


def test_unknown_level():
    with pytest.raises(LevelError, match="无法识别"):
        parse_level("很重要")


def test_parse_notes_wild_only_and_former_names():
    facts = parse_notes("仅限野外种群。原名“松江鲈鱼”")
    assert facts.wild_only and not facts.landlocked_only
    assert facts.aliases == [("松江鲈鱼", AliasKind.FORMER)]
    assert parse_notes("仅限陆封种群").landlocked_only
    assert ("Elaphe mandarina", AliasKind.SCIENTIFIC_SYNONYM) in parse_notes("原拉丁学名Elaphe mandarina").aliases
    both = parse_notes("原名花鼠Eutamias sibiricus").aliases
    assert ("花鼠", AliasKind.FORMER) in both and ("Eutamias sibiricus", AliasKind.SCIENTIFIC_SYNONYM) in both
    assert ("草兔", AliasKind.FORMER) in parse_notes("原名录中草兔与其同物异名").aliases


def test_scientific_name_normalisation_and_latin_detection():
    assert normalize_scientific("  cuora   FLAVOMARGINATA ") == "Cuora flavomarginata"
    assert looks_latin("Sitta leucopsis")
    assert not looks_latin("白脸䴓")
