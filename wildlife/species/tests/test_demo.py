"""The demo catalogue: size, idempotence, the species the design names, and agreement with the transcription."""

import json

import pytest

from wildlife.audit.models import AuditEvent
from wildlife.core.testing.data import shared_data
from wildlife.species.choices import Protection
from wildlife.species.data.catalogue import LIVESTOCK_303, NK2021, SPECIES, SY2023
from wildlife.species.models import GroupRule, ListVersion, Species, SpeciesAlias, SpeciesStatus
from wildlife.species.testing import load_demo_catalogue

pytestmark = pytest.mark.django_db

# class under the 2021 list / 2023 三有 as named in design/domain.md §1 and research/domain_cn.md §2.1, §2.4
NAMED = {
    "黄胸鹀": Protection.NATIONAL_1, "东方白鹳": Protection.NATIONAL_1, "丹顶鹤": Protection.NATIONAL_1, "白枕鹤": Protection.NATIONAL_1,
    "大鸨": Protection.NATIONAL_1, "青头潜鸭": Protection.NATIONAL_1, "金雕": Protection.NATIONAL_1, "猎隼": Protection.NATIONAL_1,
    "遗鸥": Protection.NATIONAL_1, "勺嘴鹬": Protection.NATIONAL_1, "中华凤头燕鸥": Protection.NATIONAL_1, "毛腿雕鸮": Protection.NATIONAL_1,
    "穿山甲": Protection.NATIONAL_1, "梅花鹿": Protection.NATIONAL_1, "豺": Protection.NATIONAL_1, "小灵猫": Protection.NATIONAL_1,
    "西太平洋斑海豹": Protection.NATIONAL_1, "中华鲟": Protection.NATIONAL_1, "北方铜鱼": Protection.NATIONAL_1, "亚洲象": Protection.NATIONAL_1,
    "大天鹅": Protection.NATIONAL_2, "鸿雁": Protection.NATIONAL_2, "鸳鸯": Protection.NATIONAL_2, "灰鹤": Protection.NATIONAL_2,
    "红隼": Protection.NATIONAL_2, "雕鸮": Protection.NATIONAL_2, "长耳鸮": Protection.NATIONAL_2, "画眉": Protection.NATIONAL_2,
    "红嘴相思鸟": Protection.NATIONAL_2, "云雀": Protection.NATIONAL_2, "蒙古百灵": Protection.NATIONAL_2, "震旦鸦雀": Protection.NATIONAL_2,
    "豹猫": Protection.NATIONAL_2, "貉": Protection.NATIONAL_2, "赤狐": Protection.NATIONAL_2, "狼": Protection.NATIONAL_2,
    "水獭": Protection.NATIONAL_2, "獐": Protection.NATIONAL_2, "马鹿": Protection.NATIONAL_2, "乌龟": Protection.NATIONAL_2,
    "黄喉拟水龟": Protection.NATIONAL_2, "大鲵": Protection.NATIONAL_2, "虎纹蛙": Protection.NATIONAL_2, "团花锦蛇": Protection.NATIONAL_2,
    "蟒蛇": Protection.NATIONAL_2, "松江鲈": Protection.NATIONAL_2, "青岛文昌鱼": Protection.NATIONAL_2, "东亚江豚": Protection.NATIONAL_2,
    "黄缘闭壳龟": Protection.NATIONAL_2,
    "环颈雉": Protection.SANYOU, "绿头鸭": Protection.SANYOU, "斑嘴鸭": Protection.SANYOU, "夜鹭": Protection.SANYOU,
    "白骨顶": Protection.SANYOU, "黄斑苇鳽": Protection.SANYOU, "白鹭": Protection.SANYOU, "珠颈斑鸠": Protection.SANYOU,
    "喜鹊": Protection.SANYOU, "麻雀": Protection.SANYOU, "煤山雀": Protection.SANYOU, "黄鼬": Protection.SANYOU,
    "狗獾": Protection.SANYOU, "猪獾": Protection.SANYOU, "花面狸": Protection.SANYOU, "东北刺猬": Protection.SANYOU,
    "蒙古兔": Protection.SANYOU, "狍": Protection.SANYOU, "中华蟾蜍": Protection.SANYOU, "乌梢蛇": Protection.SANYOU,
    "王锦蛇": Protection.SANYOU, "赤链蛇": Protection.SANYOU,
    "野猪": Protection.NONE, "非洲象": Protection.NONE, "鲤": Protection.NONE,
}
# folk and trade names (domain_cn.md §2.4) → the species they must lead to
ALIASES = {
    "野鸡": "环颈雉", "禾花雀": "黄胸鹀", "果子狸": "花面狸", "娃娃鱼": "大鲵", "甲片": "穿山甲", "白料": "亚洲象",
    "山狸子": "豹猫", "貉子": "貉", "黄鼠狼": "黄鼬", "刺猬": "东北刺猬", "野兔": "蒙古兔", "茶隼": "红隼", "告天子": "云雀",
    "相思鸟": "红嘴相思鸟", "背儿": "煤山雀", "菜花蛇": "王锦蛇", "草龟": "乌龟", "大雁": "鸿雁", "白天鹅": "大天鹅",
    "猫头鹰": "雕鸮", "鹤顶红": "盔犀鸟", "黑料": "白犀", "野鸽子": "珠颈斑鸠", "田鸡": "黑斑侧褶蛙",
}
# where the shared transcription is known to be wrong (../shared/data/README.md) the catalogue follows the official list
KNOWN_TRANSCRIPTION_ERRORS = {"白枕鹤"}
# the transcription misspells some scientific names; the catalogue keeps the correct spelling
TRANSCRIPTION_SPELLING = {"nyctereutes procyonoides": "nyctereutes procyonides"}


def test_loads_at_least_150_species_with_versions_and_rules():
    summary = load_demo_catalogue()
    assert "物种" in summary
    assert Species.objects.count() >= 150
    assert set(ListVersion.objects.values_list("code", flat=True)) >= {NK2021, SY2023}
    assert GroupRule.objects.filter(list_version__code=NK2021).count() == 8
    assert Species.objects.filter(protection=Protection.NATIONAL_1).count() >= 20


def test_second_run_changes_nothing():
    load_demo_catalogue()
    counts = [m.objects.count() for m in (Species, SpeciesAlias, ListVersion, SpeciesStatus, GroupRule, AuditEvent)]
    stamps = list(Species.objects.order_by("pk").values_list("updated_at", flat=True))
    load_demo_catalogue()
    assert [m.objects.count() for m in (Species, SpeciesAlias, ListVersion, SpeciesStatus, GroupRule, AuditEvent)] == counts
    assert list(Species.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_every_named_species_has_its_class(catalogue):
    for name, protection in NAMED.items():
        assert name in catalogue, name
        assert catalogue[name].protection == protection, name


def test_folk_and_trade_names_lead_to_the_species(catalogue):
    for alias, name in ALIASES.items():
        assert SpeciesAlias.objects.filter(name=alias, species__name_zh=name).exists(), alias
    assert set(SpeciesAlias.objects.filter(name="白料").values_list("species__name_zh", flat=True)) == {"亚洲象", "非洲象"}


def test_livestock_flags_follow_announcement_303(catalogue):
    for listed, species_name in LIVESTOCK_303.items():
        if species_name is not None:
            assert catalogue[species_name].is_livestock, listed
    assert not catalogue["黄胸鹀"].is_livestock
    assert catalogue["环颈雉"].wild_only and catalogue["貉"].wild_only


def test_taxonomy_is_complete(catalogue):
    for species in catalogue.values():
        assert species.taxon_class and species.taxon_order and species.taxon_family and species.genus, species.name_zh
        assert species.taxon_order_latin and species.taxon_family_latin, species.name_zh


def test_classes_agree_with_the_shared_transcription():
    national = json.loads(shared_data("species", "national-key-wildlife-2021.json").read_text(encoding="utf-8"))["species"]
    sanyou = json.loads(shared_data("species", "sanyou-wildlife-2023.json").read_text(encoding="utf-8"))["species"]
    levels = {e["scientificName"].lower(): ("national_1" if e["level"] == "Ⅰ" else "national_2") for e in national}
    in_sanyou = {e["scientificName"].lower() for e in sanyou}
    for entry in SPECIES:
        sci = TRANSCRIPTION_SPELLING.get(entry.scientific_name.lower(), entry.scientific_name.lower())
        ours = entry.statuses.get(NK2021)
        if sci in levels and entry.name_zh not in KNOWN_TRANSCRIPTION_ERRORS:
            assert ours == levels[sci], entry.name_zh
        if ours and sci not in levels:
            pytest.fail(f"{entry.name_zh} is class {ours} here but missing from the transcription")
        if entry.statuses.get(SY2023):
            assert sci in in_sanyou, entry.name_zh
