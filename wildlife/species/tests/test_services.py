import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError
from wildlife.species import services
from wildlife.species.choices import AliasKind, ListKind, Protection, StatusOrigin, TaxonRank
from wildlife.species.models import SpeciesStatus

pytestmark = pytest.mark.django_db


def test_create_computes_pinyin_genus_and_is_audited(district_officer):
    species = services.species_create(actor=district_officer, name_zh="黄胸鹀", scientific_name="emberiza  AUREOLA", aliases=[("禾花雀", AliasKind.FOLK)])
    assert species.scientific_name == "Emberiza aureola"
    assert species.genus == "Emberiza"
    assert (species.pinyin, species.pinyin_initials) == ("huangxiongwu", "hxw")
    assert species.protection == Protection.NONE
    alias = species.aliases.get()
    assert (alias.name, alias.pinyin_initials) == ("禾花雀", "hhq")
    assert AuditEvent.objects.filter(action="species_create", object_id=str(species.pk)).exists()


def test_create_rejects_latin_chinese_name_duplicates_and_bad_scientific_names(district_officer, species_factory):
    with pytest.raises(ValidationError) as info:
        services.species_create(actor=district_officer, name_zh="Sitta leucopsis", scientific_name="Sitta leucopsis")
    assert "name_zh" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.species_create(actor=district_officer, name_zh="白脸䴓", scientific_name="白脸")
    assert "scientific_name" in info.value.message_dict
    species_factory("豹猫", "Prionailurus bengalensis")
    with pytest.raises(ValidationError) as info:
        services.species_create(actor=district_officer, name_zh="山狸子", scientific_name="prionailurus bengalensis")
    assert "已在名录中" in info.value.message_dict["scientific_name"][0]
    with pytest.raises(ValidationError) as info:
        services.species_create(actor=district_officer, name_zh="豹猫", scientific_name="Felis bengalensis")
    assert "name_zh" in info.value.message_dict


def test_update_checks_the_version_and_moves_genus_with_the_name(district_officer, species_factory):
    species = species_factory("黄缘闭壳龟", "Cuora flavomarginata")
    services.species_update(actor=district_officer, obj=species, version=1, description="演示")
    assert species.version == 2 and species.description == "演示"
    with pytest.raises(ConflictError):
        services.species_update(actor=district_officer, obj=species, version=1, description="过期的编辑")
    services.species_update(actor=district_officer, obj=species, version=2, scientific_name="Mauremys mutica", genus="Cuora")
    assert species.genus == "Mauremys"


def test_alias_add_is_idempotent_and_rejects_the_species_own_name(district_officer, species_factory):
    species = species_factory("花面狸", "Paguma larvata")
    first = services.species_alias_add(actor=district_officer, species=species, name="果子狸", kind=AliasKind.FOLK)
    again = services.species_alias_add(actor=district_officer, species=species, name="果子狸", kind=AliasKind.FOLK)
    assert first.pk == again.pk and species.aliases.count() == 1
    with pytest.raises(ValidationError):
        services.species_alias_add(actor=district_officer, species=species, name="花面狸", kind=AliasKind.FOLK)


def test_status_set_refreshes_the_cached_protection(district_officer, species_factory, version_factory):
    species = species_factory("白枕鹤", "Grus vipio")
    old = version_factory("nk-1989", start=dt.date(1989, 1, 14), end=dt.date(2021, 2, 5))
    new = version_factory("nk-2021")
    services.species_status_set(actor=district_officer, species=species, list_version=old, protection=Protection.NATIONAL_2)
    species.refresh_from_db()
    assert species.protection == Protection.NONE  # the 1989 list is no longer in force
    services.species_status_set(actor=district_officer, species=species, list_version=new, protection=Protection.NATIONAL_1, notes="仅限野外种群", wild_only=True)
    species.refresh_from_db()
    assert (species.protection, species.protection_list, species.wild_only) == (Protection.NATIONAL_1, new, True)
    with pytest.raises(ValidationError):
        services.species_status_set(actor=district_officer, species=species, list_version=new, protection=Protection.NONE)


def test_group_rule_covers_current_and_later_species_and_yields_to_explicit_listing(district_officer, species_factory, version_factory):
    version = version_factory("nk-2021")
    before = species_factory("黄缘闭壳龟", "Cuora flavomarginata")
    other = species_factory("乌龟", "Mauremys reevesii")
    rule = services.group_rule_create(
        actor=district_officer, list_version=version, rank=TaxonRank.GENUS, taxon_name="闭壳龟属", taxon_latin="Cuora", protection=Protection.NATIONAL_2, wild_only=True
    )
    status = SpeciesStatus.objects.get(species=before, list_version=version)
    assert (status.origin, status.group_rule, status.protection, status.wild_only) == (StatusOrigin.GROUP_RULE, rule, Protection.NATIONAL_2, True)
    assert not SpeciesStatus.objects.filter(species=other).exists()
    later = species_factory("三线闭壳龟", "Cuora trifasciata")
    assert later.protection == Protection.NATIONAL_2
    assert SpeciesStatus.objects.get(species=later).group_rule == rule
    # an explicit listing of the same version wins over the rule, and removing it brings the rule back
    services.species_status_set(actor=district_officer, species=later, list_version=version, protection=Protection.NATIONAL_1)
    explicit = SpeciesStatus.objects.get(species=later)
    assert explicit.origin == StatusOrigin.LISTED
    services.group_rule_apply(actor=district_officer, rule=rule)
    assert SpeciesStatus.objects.get(species=later).protection == Protection.NATIONAL_1
    services.species_status_remove(actor=district_officer, status=explicit)
    later.refresh_from_db()
    assert SpeciesStatus.objects.get(species=later).origin == StatusOrigin.GROUP_RULE
    assert later.protection == Protection.NATIONAL_2


def test_family_and_order_rules_match_chinese_or_latin_names(district_officer, species_factory, version_factory):
    version = version_factory("nk-2021")
    coral = species_factory("日本红珊瑚", "Corallium japonicum", taxon_family="红珊瑚科")
    stony = species_factory("鹿角珊瑚", "Acropora cervicornis", taxon_order_latin="Scleractinia")
    services.group_rule_create(actor=district_officer, list_version=version, rank=TaxonRank.FAMILY, taxon_name="红珊瑚科", taxon_latin="Coralliidae", protection=Protection.NATIONAL_1)
    services.group_rule_create(actor=district_officer, list_version=version, rank=TaxonRank.ORDER, taxon_name="石珊瑚目", taxon_latin="Scleractinia", protection=Protection.NATIONAL_2)
    coral.refresh_from_db()
    stony.refresh_from_db()
    assert (coral.protection, stony.protection) == (Protection.NATIONAL_1, Protection.NATIONAL_2)


def test_renaming_out_of_a_genus_withdraws_the_rule(district_officer, species_factory, version_factory):
    version = version_factory("nk-2021")
    species = species_factory("黄缘闭壳龟", "Cuora flavomarginata")
    services.group_rule_create(actor=district_officer, list_version=version, rank=TaxonRank.GENUS, taxon_name="闭壳龟属", taxon_latin="Cuora", protection=Protection.NATIONAL_2)
    services.species_update(actor=district_officer, obj=species, version=species.version, scientific_name="Testudo flavomarginata")
    assert species.protection == Protection.NONE
    assert not SpeciesStatus.objects.filter(species=species).exists()


def test_list_version_validation_and_update_refreshes(district_officer, species_factory):
    with pytest.raises(ValidationError) as info:
        services.list_version_create(actor=district_officer, code="x", name="x", kind=ListKind.SANYOU, effective_from=dt.date(2023, 6, 26), effective_to=dt.date(2023, 1, 1))
    assert "effective_to" in info.value.message_dict
    version = services.list_version_create(actor=district_officer, code="sy-2023", name="三有2023", kind=ListKind.SANYOU, effective_from=dt.date(2023, 6, 26), document="公告2023年第17号")
    with pytest.raises(ValidationError):
        services.list_version_create(actor=district_officer, code="sy-2023", name="again", kind=ListKind.SANYOU, effective_from=dt.date(2023, 6, 26))
    species = species_factory("环颈雉", "Phasianus colchicus")
    services.species_status_set(actor=district_officer, species=species, list_version=version, protection=Protection.SANYOU)
    species.refresh_from_db()
    assert species.protection == Protection.SANYOU
    services.list_version_update(actor=district_officer, version=version, effective_to=dt.date(2023, 12, 31))
    species.refresh_from_db()
    assert species.protection == Protection.NONE
