"""Demo species catalogue for 周村区 (Zibo, Shandong): our own compilation, clearly demo data.

Sources of the facts (see each ListVersion's source note):
- classes under the 2021 national key list: 国家林业和草原局 农业农村部公告2021年第3号 (checked against the shared
  transcription national-key-wildlife-2021.json; where the transcription is known to be wrong — 白枕鹤 is class I
  since 2021 — the official list is followed);
- 三有 2023: 国家林业和草原局公告2023年第17号 (names follow the list, e.g. 黄斑苇鳽 原名黄苇鳽);
- 1989 national list (林业部、农业部令第1号) and the 2000 三有 list (国家林业局令第7号): only the entries relevant here
  whose earlier class is well documented (the 2021 upgrades/downgrades reported with the new list);
- 2020 pangolin upgrade: 国家林业和草原局公告2020年第12号 (穿山甲属所有种 二级 → 一级);
- special livestock: 《国家畜禽遗传资源目录》农业农村部公告第303号 (2020-05-27);
- folk and trade names: ../research/domain_cn.md §2.4 (press reports on bird markets and ivory/rhino horn slang).
Taxonomy follows the order and family headings of the 2021 list (birds: 郑光美《中国鸟类分类与分布名录》第三版).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SOURCE = "演示名录（周村区平台自编；级别依据见名录版本说明）"

# --- list versions -----------------------------------------------------------------------------------------------

NK1989 = "national-key-1989"
NK2020 = "national-key-2020-pangolin"
NK2021 = "national-key-2021"
SY2000 = "sanyou-2000"
SY2023 = "sanyou-2023"

LIST_VERSIONS: list[dict[str, object]] = [
    {
        "code": NK2021,
        "name": "国家重点保护野生动物名录（2021）",
        "kind": "national_key",
        "document": "国家林业和草原局 农业农村部公告2021年第3号",
        "issued_by": "国家林业和草原局、农业农村部（经国务院批准）",
        "effective_from": dt.date(2021, 2, 5),
        "effective_to": None,
        "source_note": "2021年2月1日发布、2月5日公布施行；共980种和8类，其中国家一级234种和1类、国家二级746种和7类。"
        "演示目录只录入与本区相关的条目；完整名录请用“导入名录”载入。",
    },
    {
        "code": NK2020,
        "name": "穿山甲属调整为国家一级（2020）",
        "kind": "national_key",
        "document": "国家林业和草原局公告2020年第12号",
        "issued_by": "国家林业和草原局（经国务院批准）",
        "effective_from": dt.date(2020, 6, 5),
        "effective_to": dt.date(2021, 2, 5),
        "source_note": "将穿山甲属所有种由国家二级调整为国家一级，至2021年新名录施行时并入新名录。",
    },
    {
        "code": NK1989,
        "name": "国家重点保护野生动物名录（1989）",
        "kind": "national_key",
        "document": "林业部、农业部令第1号",
        "issued_by": "林业部、农业部（经国务院批准）",
        "effective_from": dt.date(1989, 1, 14),
        "effective_to": dt.date(2021, 2, 5),
        "source_note": "1988年12月10日经国务院批准，1989年1月14日发布施行。演示目录只录入2021年调整时有明确报道的条目"
        "（如豺、猎隼、黑脸琵鹭、斑海豹由二级升为一级，蟒由一级降为二级）。",
    },
    {
        "code": SY2023,
        "name": "有重要生态、科学、社会价值的陆生野生动物名录（2023）",
        "kind": "sanyou",
        "document": "国家林业和草原局公告2023年第17号",
        "issued_by": "国家林业和草原局",
        "effective_from": dt.date(2023, 6, 26),
        "effective_to": None,
        "source_note": "共1924种（兽类91、鸟类1028、爬行450、两栖253、昆虫96、蛛形纲2、寡毛纲4）；野猪等不再列入。"
        "演示目录只录入与本区相关的条目。",
    },
    {
        "code": SY2000,
        "name": "国家保护的有益的或者有重要经济、科学研究价值的陆生野生动物名录（2000）",
        "kind": "sanyou",
        "document": "国家林业局令第7号",
        "issued_by": "国家林业局",
        "effective_from": dt.date(2000, 8, 1),
        "effective_to": dt.date(2023, 6, 26),
        "source_note": "2000年8月1日发布施行，2023年新名录施行后废止。演示目录只录入2021/2023年调整时有明确报道的条目"
        "（如黄胸鹀、豹猫、貉、赤狐、狼、画眉、云雀、鸿雁升为国家重点，野猪不再列入）。",
    },
]

# 2021 group entries ("…所有种"): the eight 类 of the 2021 list
GROUP_RULES: list[dict[str, object]] = [
    {"version": NK2021, "rank": "genus", "taxon_name": "闭壳龟属", "taxon_latin": "Cuora", "protection": "national_2", "wild_only": True},
    {"version": NK2021, "rank": "genus", "taxon_name": "金线鲃属", "taxon_latin": "Sinocyclocheilus", "protection": "national_2", "wild_only": False},
    {"version": NK2021, "rank": "genus", "taxon_name": "细鳞鲑属", "taxon_latin": "Brachymystax", "protection": "national_2", "wild_only": True},
    {"version": NK2021, "rank": "genus", "taxon_name": "海马属", "taxon_latin": "Hippocampus", "protection": "national_2", "wild_only": True},
    {"version": NK2021, "rank": "order", "taxon_name": "黑珊瑚目", "taxon_latin": "Antipatharia", "protection": "national_2", "wild_only": False},
    {"version": NK2021, "rank": "order", "taxon_name": "石珊瑚目", "taxon_latin": "Scleractinia", "protection": "national_2", "wild_only": False},
    {"version": NK2021, "rank": "family", "taxon_name": "苍珊瑚科", "taxon_latin": "Helioporidae", "protection": "national_2", "wild_only": False},
    {"version": NK2021, "rank": "family", "taxon_name": "红珊瑚科", "taxon_latin": "Coralliidae", "protection": "national_1", "wild_only": False},
    {"version": NK2020, "rank": "genus", "taxon_name": "穿山甲属", "taxon_latin": "Manis", "protection": "national_1", "wild_only": False},
]

# the 16 special livestock species of 农业农村部公告第303号 and the catalogue species each one is (None: not kept here)
LIVESTOCK_303: dict[str, str | None] = {
    "梅花鹿": "梅花鹿",
    "马鹿": "马鹿",
    "驯鹿": "驯鹿",
    "羊驼": "羊驼",
    "火鸡": "火鸡",
    "珍珠鸡": "珍珠鸡",
    "雉鸡": "环颈雉",
    "鹧鸪": None,  # the farmed breed's species is not settled in our sources
    "番鸭": "番鸭",
    "绿头鸭": "绿头鸭",
    "鸵鸟": "鸵鸟",
    "鸸鹋": "鸸鹋",
    "水貂（非食用）": "美洲水貂",
    "银狐（非食用）": "赤狐",
    "北极狐（非食用）": "北极狐",
    "貉（非食用）": "貉",
}

ORDERS: dict[str, str] = {
    "鸡形目": "Galliformes", "雁形目": "Anseriformes", "䴙䴘目": "Podicipediformes", "鸽形目": "Columbiformes",
    "鹃形目": "Cuculiformes", "鹤形目": "Gruiformes", "鸨形目": "Otidiformes", "鸻形目": "Charadriiformes",
    "鹳形目": "Ciconiiformes", "鲣鸟目": "Suliformes", "鹈形目": "Pelecaniformes", "鹰形目": "Accipitriformes",
    "鸮形目": "Strigiformes", "犀鸟目": "Bucerotiformes", "佛法僧目": "Coraciiformes", "啄木鸟目": "Piciformes",
    "隼形目": "Falconiformes", "雀形目": "Passeriformes", "鸵形目": "Struthioniformes", "鹤鸵目": "Casuariiformes",
    "食肉目": "Carnivora", "偶蹄目": "Artiodactyla", "鲸目": "Cetacea", "鳞甲目": "Pholidota", "长鼻目": "Proboscidea",
    "奇蹄目": "Perissodactyla", "劳亚食虫目": "Eulipotyphla", "兔形目": "Lagomorpha", "啮齿目": "Rodentia",
    "龟鳖目": "Testudines", "有鳞目": "Squamata", "有尾目": "Caudata", "无尾目": "Anura",
    "鲟形目": "Acipenseriformes", "鲤形目": "Cypriniformes", "鲇形目": "Siluriformes", "鲈形目": "Perciformes",
    "鲉形目": "Scorpaeniformes", "合鳃鱼目": "Synbranchiformes", "鳗鲡目": "Anguilliformes", "文昌鱼目": "Amphioxiformes",
}
FAMILIES: dict[str, str] = {
    "雉科": "Phasianidae", "鸭科": "Anatidae", "䴙䴘科": "Podicipedidae", "鸠鸽科": "Columbidae", "杜鹃科": "Cuculidae",
    "秧鸡科": "Rallidae", "鹤科": "Gruidae", "鸨科": "Otididae", "反嘴鹬科": "Recurvirostridae", "鸻科": "Charadriidae",
    "鹬科": "Scolopacidae", "鸥科": "Laridae", "鹳科": "Ciconiidae", "鸬鹚科": "Phalacrocoracidae", "鹮科": "Threskiornithidae",
    "鹭科": "Ardeidae", "鹈鹕科": "Pelecanidae", "鹗科": "Pandionidae", "鹰科": "Accipitridae", "鸱鸮科": "Strigidae",
    "戴胜科": "Upupidae", "犀鸟科": "Bucerotidae", "翠鸟科": "Alcedinidae", "啄木鸟科": "Picidae", "隼科": "Falconidae",
    "八色鸫科": "Pittidae", "伯劳科": "Laniidae", "卷尾科": "Dicruridae", "鸦科": "Corvidae", "山雀科": "Paridae",
    "百灵科": "Alaudidae", "鹎科": "Pycnonotidae", "燕科": "Hirundinidae", "长尾山雀科": "Aegithalidae",
    "苇莺科": "Acrocephalidae", "莺鹛科": "Sylviidae", "噪鹛科": "Leiothrichidae", "椋鸟科": "Sturnidae",
    "鸫科": "Turdidae", "鹟科": "Muscicapidae", "雀科": "Passeridae", "鹡鸰科": "Motacillidae", "燕雀科": "Fringillidae",
    "鹀科": "Emberizidae", "鸵鸟科": "Struthionidae", "鸸鹋科": "Dromaiidae", "珠鸡科": "Numididae",
    "犬科": "Canidae", "鼬科": "Mustelidae", "猫科": "Felidae", "灵猫科": "Viverridae", "海豹科": "Phocidae",
    "鹿科": "Cervidae", "牛科": "Bovidae", "猪科": "Suidae", "骆驼科": "Camelidae", "鼠海豚科": "Phocoenidae",
    "鲮鲤科": "Manidae", "象科": "Elephantidae", "犀科": "Rhinocerotidae", "猬科": "Erinaceidae", "兔科": "Leporidae",
    "松鼠科": "Sciuridae", "地龟科": "Geoemydidae", "鳖科": "Trionychidae", "游蛇科": "Colubridae", "水游蛇科": "Natricidae",
    "蟒科": "Pythonidae", "蝰科": "Viperidae", "蜥蜴科": "Lacertidae", "壁虎科": "Gekkonidae", "隐鳃鲵科": "Cryptobranchidae",
    "蟾蜍科": "Bufonidae", "蛙科": "Ranidae", "叉舌蛙科": "Dicroglossidae", "姬蛙科": "Microhylidae", "铃蟾科": "Bombinatoridae",
    "鲟科": "Acipenseridae", "鲤科": "Cyprinidae", "鮈科": "Gobionidae", "鲴科": "Xenocyprididae", "鱊科": "Acheilognathidae",
    "鲿科": "Bagridae", "鲇科": "Siluridae", "鳢科": "Channidae", "花鳅科": "Cobitidae", "鮨鲈科": "Sinipercidae",
    "虾虎鱼科": "Gobiidae", "杜父鱼科": "Cottidae", "合鳃鱼科": "Synbranchidae", "鳗鲡科": "Anguillidae",
    "文昌鱼科": "Branchiostomatidae",
}


@dataclass(frozen=True)
class Entry:
    """One demo species: names, taxonomy, classes under each list version and its aliases."""

    name_zh: str
    scientific_name: str
    taxon_class: str
    taxon_order: str
    taxon_family: str
    statuses: dict[str, str] = field(default_factory=dict)  # list version code → protection
    aquatic: bool = False
    wild_only: bool = False
    aliases: tuple[tuple[str, str], ...] = ()
    is_livestock: bool = False
    livestock_note: str = ""
    description: str = ""
    notes: dict[str, str] = field(default_factory=dict)  # list version code → 备注 text


N1, N2, SY = "national_1", "national_2", "sanyou"
BIRD, MAMMAL, REPTILE, AMPHIBIAN, FISH = "鸟纲", "哺乳纲", "爬行纲", "两栖纲", "辐鳍鱼纲"
F, T, FM, SYN = "folk", "trade", "former", "scientific_synonym"

OWL = (("猫头鹰", F), ("夜猫子", F))
HAWK = (("鹞子", F), ("鹞鹰", F), ("老鹰", F))


def _e(name: str, sci: str, cls: str, order: str, family: str, *, nk: str = "", sy: bool = False, old: str = "", sy00: bool = False, **kw: object) -> Entry:
    statuses: dict[str, str] = {}
    if nk:
        statuses[NK2021] = N1 if nk == "1" else N2
    if sy:
        statuses[SY2023] = SY
    if old:
        statuses[NK1989] = N1 if old == "1" else N2
    if sy00:
        statuses[SY2000] = SY
    return Entry(name, sci, cls, order, family, statuses=statuses, **kw)  # type: ignore[arg-type]


def bird(name: str, sci: str, order: str, family: str, **kw: object) -> Entry:
    return _e(name, sci, BIRD, order, family, **kw)  # type: ignore[arg-type]


def mammal(name: str, sci: str, order: str, family: str, **kw: object) -> Entry:
    return _e(name, sci, MAMMAL, order, family, **kw)  # type: ignore[arg-type]


def reptile(name: str, sci: str, order: str, family: str, **kw: object) -> Entry:
    return _e(name, sci, REPTILE, order, family, **kw)  # type: ignore[arg-type]


def amphibian(name: str, sci: str, order: str, family: str, **kw: object) -> Entry:
    return _e(name, sci, AMPHIBIAN, order, family, **kw)  # type: ignore[arg-type]


def fish(name: str, sci: str, order: str, family: str, **kw: object) -> Entry:
    return _e(name, sci, FISH, order, family, aquatic=True, **kw)  # type: ignore[arg-type]


WILD = "仅限野外种群"
LN = "list_name"
FROG_2023 = "2023年“三有”名录的转录本中未见本种，演示目录暂不记2023年级别，请以导入的正式名录为准。"

SPECIES: list[Entry] = [
    # --- birds, national class I --------------------------------------------------------------------------------
    bird("东方白鹳", "Ciconia boyciana", "鹳形目", "鹳科", nk="1", old="1", aliases=(("白鹳", FM),)),
    bird("黑鹳", "Ciconia nigra", "鹳形目", "鹳科", nk="1", old="1"),
    bird("丹顶鹤", "Grus japonensis", "鹤形目", "鹤科", nk="1", old="1", aliases=(("仙鹤", F),)),
    bird("白鹤", "Grus leucogeranus", "鹤形目", "鹤科", nk="1"),
    bird("白头鹤", "Grus monacha", "鹤形目", "鹤科", nk="1"),
    bird(
        "白枕鹤",
        "Grus vipio",
        "鹤形目",
        "鹤科",
        nk="1",
        old="2",
        description="2021年名录由国家二级升为国家一级（部分转录本仍误作二级）。",
    ),
    bird("大鸨", "Otis tarda", "鸨形目", "鸨科", nk="1", old="1", aliases=(("地鵏", F), ("鸨", LN))),
    bird("青头潜鸭", "Aythya baeri", "雁形目", "鸭科", nk="1"),
    bird("中华秋沙鸭", "Mergus squamatus", "雁形目", "鸭科", nk="1"),
    bird("黑脸琵鹭", "Platalea minor", "鹈形目", "鹮科", nk="1", old="2"),
    bird("金雕", "Aquila chrysaetos", "鹰形目", "鹰科", nk="1", old="1"),
    bird("白尾海雕", "Haliaeetus albicilla", "鹰形目", "鹰科", nk="1"),
    bird("草原雕", "Aquila nipalensis", "鹰形目", "鹰科", nk="1"),
    bird("乌雕", "Clanga clanga", "鹰形目", "鹰科", nk="1"),
    bird("白肩雕", "Aquila heliaca", "鹰形目", "鹰科", nk="1"),
    bird("秃鹫", "Aegypius monachus", "鹰形目", "鹰科", nk="1"),
    bird("猎隼", "Falco cherrug", "隼形目", "隼科", nk="1", old="2"),
    bird(
        "黄胸鹀",
        "Emberiza aureola",
        "雀形目",
        "鹀科",
        nk="1",
        sy00=True,
        aliases=(("禾花雀", F), ("黄肚囊", F), ("寒雀", F)),
        description="2021年由“三有”直接升为国家一级；“禾花雀”是其俗名和餐馆用名。",
    ),
    bird("遗鸥", "Ichthyaetus relictus", "鸻形目", "鸥科", nk="1"),
    bird("黑嘴鸥", "Saundersilarus saundersi", "鸻形目", "鸥科", nk="1"),
    bird("勺嘴鹬", "Calidris pygmaea", "鸻形目", "鹬科", nk="1"),
    bird("小青脚鹬", "Tringa guttifer", "鸻形目", "鹬科", nk="1"),
    bird("白冠长尾雉", "Syrmaticus reevesii", "鸡形目", "雉科", nk="1"),
    bird("卷羽鹈鹕", "Pelecanus crispus", "鹈形目", "鹈鹕科", nk="1"),
    bird("黄嘴白鹭", "Egretta eulophotes", "鹈形目", "鹭科", nk="1"),
    bird("中华凤头燕鸥", "Thalasseus bernsteini", "鸻形目", "鸥科", nk="1", aliases=(("黑嘴端凤头燕鸥", FM),)),
    bird("四川林鸮", "Strix davidi", "鸮形目", "鸱鸮科", nk="1", aliases=OWL),
    bird("毛腿雕鸮", "Bubo blakistoni", "鸮形目", "鸱鸮科", nk="1", aliases=(("毛腿渔鸮", FM), *OWL)),
    # --- birds, national class II -------------------------------------------------------------------------------
    bird("大天鹅", "Cygnus cygnus", "雁形目", "鸭科", nk="2", old="2", aliases=(("白天鹅", F), ("天鹅", F))),
    bird("小天鹅", "Cygnus columbianus", "雁形目", "鸭科", nk="2", aliases=(("白天鹅", F), ("天鹅", F))),
    bird("疣鼻天鹅", "Cygnus olor", "雁形目", "鸭科", nk="2", aliases=(("天鹅", F),)),
    bird("鸿雁", "Anser cygnoid", "雁形目", "鸭科", nk="2", sy00=True, aliases=(("大雁", F),)),
    bird("白额雁", "Anser albifrons", "雁形目", "鸭科", nk="2", aliases=(("大雁", F),)),
    bird("小白额雁", "Anser erythropus", "雁形目", "鸭科", nk="2"),
    bird("鸳鸯", "Aix galericulata", "雁形目", "鸭科", nk="2", old="2"),
    bird("斑头秋沙鸭", "Mergellus albellus", "雁形目", "鸭科", nk="2"),
    bird("灰鹤", "Grus grus", "鹤形目", "鹤科", nk="2", old="2"),
    bird("蓑羽鹤", "Anthropoides virgo", "鹤形目", "鹤科", nk="2", aliases=(("Grus virgo", SYN),)),
    bird("白琵鹭", "Platalea leucorodia", "鹈形目", "鹮科", nk="2"),
    bird("角䴙䴘", "Podiceps auritus", "䴙䴘目", "䴙䴘科", nk="2"),
    bird("赤颈䴙䴘", "Podiceps grisegena", "䴙䴘目", "䴙䴘科", nk="2"),
    bird("黑颈䴙䴘", "Podiceps nigricollis", "䴙䴘目", "䴙䴘科", nk="2"),
    bird("鹗", "Pandion haliaetus", "鹰形目", "鹗科", nk="2", aliases=(("鱼鹰", F),)),
    bird("黑翅鸢", "Elanus caeruleus", "鹰形目", "鹰科", nk="2"),
    bird("黑鸢", "Milvus migrans", "鹰形目", "鹰科", nk="2", aliases=(("老鹰", F),)),
    bird("凤头蜂鹰", "Pernis ptilorhynchus", "鹰形目", "鹰科", nk="2"),
    bird("雀鹰", "Accipiter nisus", "鹰形目", "鹰科", nk="2", aliases=HAWK),
    bird("苍鹰", "Accipiter gentilis", "鹰形目", "鹰科", nk="2", aliases=HAWK),
    bird("赤腹鹰", "Accipiter soloensis", "鹰形目", "鹰科", nk="2"),
    bird("日本松雀鹰", "Accipiter gularis", "鹰形目", "鹰科", nk="2"),
    bird("松雀鹰", "Accipiter virgatus", "鹰形目", "鹰科", nk="2"),
    bird("白尾鹞", "Circus cyaneus", "鹰形目", "鹰科", nk="2", aliases=(("鹞子", F),)),
    bird("鹊鹞", "Circus melanoleucos", "鹰形目", "鹰科", nk="2", aliases=(("鹞子", F),)),
    bird("白腹鹞", "Circus spilonotus", "鹰形目", "鹰科", nk="2"),
    bird("白头鹞", "Circus aeruginosus", "鹰形目", "鹰科", nk="2"),
    bird("普通鵟", "Buteo japonicus", "鹰形目", "鹰科", nk="2", aliases=(("老鹰", F), ("普通\U0002b6ed", LN))),
    bird("大鵟", "Buteo hemilasius", "鹰形目", "鹰科", nk="2", aliases=(("大\U0002b6ed", LN),)),
    bird("毛脚鵟", "Buteo lagopus", "鹰形目", "鹰科", nk="2", aliases=(("毛脚\U0002b6ed", LN),)),
    bird("灰脸鵟鹰", "Butastur indicus", "鹰形目", "鹰科", nk="2", aliases=(("灰脸\U0002b6ed鹰", LN),)),
    bird("红隼", "Falco tinnunculus", "隼形目", "隼科", nk="2", old="2", aliases=(("茶隼", F),)),
    bird("红脚隼", "Falco amurensis", "隼形目", "隼科", nk="2"),
    bird("燕隼", "Falco subbuteo", "隼形目", "隼科", nk="2"),
    bird("灰背隼", "Falco columbarius", "隼形目", "隼科", nk="2"),
    bird("游隼", "Falco peregrinus", "隼形目", "隼科", nk="2"),
    bird("红角鸮", "Otus sunia", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("领角鸮", "Otus lettia", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("北领角鸮", "Otus semitorques", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("雕鸮", "Bubo bubo", "鸮形目", "鸱鸮科", nk="2", old="2", aliases=OWL),
    bird("纵纹腹小鸮", "Athene noctua", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("长耳鸮", "Asio otus", "鸮形目", "鸱鸮科", nk="2", old="2", aliases=OWL),
    bird("短耳鸮", "Asio flammeus", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("斑头鸺鹠", "Glaucidium cuculoides", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("领鸺鹠", "Glaucidium brodiei", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("鹰鸮", "Ninox scutulata", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("日本鹰鸮", "Ninox japonica", "鸮形目", "鸱鸮科", nk="2", aliases=OWL),
    bird("画眉", "Garrulax canorus", "雀形目", "噪鹛科", nk="2", sy00=True, aliases=(("画眉鸟", F),)),
    bird("红嘴相思鸟", "Leiothrix lutea", "雀形目", "噪鹛科", nk="2", sy00=True, aliases=(("相思鸟", F),)),
    bird("蒙古百灵", "Melanocorypha mongolica", "雀形目", "百灵科", nk="2", aliases=(("百灵", F), ("百灵鸟", F))),
    bird("云雀", "Alauda arvensis", "雀形目", "百灵科", nk="2", sy00=True, aliases=(("告天子", F), ("叫天子", F))),
    bird("震旦鸦雀", "Paradoxornis heudei", "雀形目", "莺鹛科", nk="2"),
    bird("蓝喉歌鸲", "Luscinia svecica", "雀形目", "鹟科", nk="2", aliases=(("蓝点颏", F),)),
    bird("红喉歌鸲", "Calliope calliope", "雀形目", "鹟科", nk="2", aliases=(("红点颏", F),)),
    bird("白胸翡翠", "Halcyon smyrnensis", "佛法僧目", "翠鸟科", nk="2"),
    bird("仙八色鸫", "Pitta nympha", "雀形目", "八色鸫科", nk="2"),
    bird("勺鸡", "Pucrasia macrolopha", "鸡形目", "雉科", nk="2"),
    bird("大杓鹬", "Numenius madagascariensis", "鸻形目", "鹬科", nk="2"),
    bird("白腰杓鹬", "Numenius arquata", "鸻形目", "鹬科", nk="2"),
    bird("小杓鹬", "Numenius minutus", "鸻形目", "鹬科", nk="2"),
    bird("翻石鹬", "Arenaria interpres", "鸻形目", "鹬科", nk="2"),
    bird("大滨鹬", "Calidris tenuirostris", "鸻形目", "鹬科", nk="2"),
    bird("半蹼鹬", "Limnodromus semipalmatus", "鸻形目", "鹬科", nk="2"),
    bird("小鸥", "Larus minutus", "鸻形目", "鸥科", nk="2", aliases=(("Hydrocoloeus minutus", SYN),)),
    bird("大凤头燕鸥", "Thalasseus bergii", "鸻形目", "鸥科", nk="2"),
    bird("岩鹭", "Egretta sacra", "鹈形目", "鹭科", nk="2"),
    bird("鹩哥", "Gracula religiosa", "雀形目", "椋鸟科", nk="2", aliases=(("九官鸟", F),)),
    bird(
        "盔犀鸟",
        "Rhinoplax vigil",
        "犀鸟目",
        "犀鸟科",
        aliases=(("鹤顶红", T),),
        description="收藏圈“一红二黑三白”中的“鹤顶红”即盔犀鸟头骨（盔突）制品。本种不在2021年名录中（我国无分布），"
        "属公约附录I物种，核准后按国家重点保护野生动物管理。",
    ),
    # --- birds of 孝妇河 / 文昌湖 wetlands and farmland: 三有 -------------------------------------------------------
    bird("夜鹭", "Nycticorax nycticorax", "鹈形目", "鹭科", sy=True, sy00=True, description="常被误报为国家二级，实为“三有”。"),
    bird("白鹭", "Egretta garzetta", "鹈形目", "鹭科", sy=True, sy00=True),
    bird("大白鹭", "Ardea alba", "鹈形目", "鹭科", sy=True),
    bird("苍鹭", "Ardea cinerea", "鹈形目", "鹭科", sy=True, sy00=True, aliases=(("老等", F),)),
    bird("池鹭", "Ardeola bacchus", "鹈形目", "鹭科", sy=True, sy00=True),
    bird("牛背鹭", "Bubulcus ibis", "鹈形目", "鹭科", sy=True, aliases=(("Bubulcus coromandus", SYN),)),
    bird("黄斑苇鳽", "Ixobrychus sinensis", "鹈形目", "鹭科", sy=True, aliases=(("黄苇鳽", FM),)),
    bird("普通鸬鹚", "Phalacrocorax carbo", "鲣鸟目", "鸬鹚科", sy=True, aliases=(("鱼鹰", F),)),
    bird("小䴙䴘", "Tachybaptus ruficollis", "䴙䴘目", "䴙䴘科", sy=True, aliases=(("王八鸭子", F),)),
    bird("凤头䴙䴘", "Podiceps cristatus", "䴙䴘目", "䴙䴘科", sy=True),
    bird("豆雁", "Anser fabalis", "雁形目", "鸭科", sy=True, sy00=True, aliases=(("大雁", F),)),
    bird("灰雁", "Anser anser", "雁形目", "鸭科", sy=True, sy00=True, aliases=(("大雁", F),)),
    bird("赤麻鸭", "Tadorna ferruginea", "雁形目", "鸭科", sy=True, aliases=(("黄鸭", F),)),
    bird(
        "绿头鸭",
        "Anas platyrhynchos",
        "雁形目",
        "鸭科",
        sy=True,
        sy00=True,
        aliases=(("野鸭", F), ("大红腿鸭", F)),
        is_livestock=True,
        livestock_note="绿头鸭：列入畜禽遗传资源目录，人工饲养的按畜禽管理；野外种群为“三有”（仅限野外种群）",
        notes={SY2023: WILD},
    ),
    bird("斑嘴鸭", "Anas zonorhyncha", "雁形目", "鸭科", sy=True, sy00=True, aliases=(("野鸭", F),)),
    bird("绿翅鸭", "Anas crecca", "雁形目", "鸭科", sy=True, aliases=(("小水鸭", F),)),
    bird("白眉鸭", "Spatula querquedula", "雁形目", "鸭科", sy=True),
    bird("罗纹鸭", "Mareca falcata", "雁形目", "鸭科", sy=True),
    bird("红头潜鸭", "Aythya ferina", "雁形目", "鸭科", sy=True),
    bird("凤头潜鸭", "Aythya fuligula", "雁形目", "鸭科", sy=True),
    bird("普通秋沙鸭", "Mergus merganser", "雁形目", "鸭科", sy=True),
    bird("黑水鸡", "Gallinula chloropus", "鹤形目", "秧鸡科", sy=True, sy00=True),
    bird("白骨顶", "Fulica atra", "鹤形目", "秧鸡科", sy=True, sy00=True, aliases=(("骨顶鸡", F),)),
    bird("黑翅长脚鹬", "Himantopus himantopus", "鸻形目", "反嘴鹬科", sy=True),
    bird("反嘴鹬", "Recurvirostra avosetta", "鸻形目", "反嘴鹬科", sy=True),
    bird("凤头麦鸡", "Vanellus vanellus", "鸻形目", "鸻科", sy=True),
    bird("灰头麦鸡", "Vanellus cinereus", "鸻形目", "鸻科", sy=True),
    bird("金眶鸻", "Charadrius dubius", "鸻形目", "鸻科", sy=True),
    bird("矶鹬", "Actitis hypoleucos", "鸻形目", "鹬科", sy=True),
    bird("白腰草鹬", "Tringa ochropus", "鸻形目", "鹬科", sy=True),
    bird("青脚鹬", "Tringa nebularia", "鸻形目", "鹬科", sy=True),
    bird("扇尾沙锥", "Gallinago gallinago", "鸻形目", "鹬科", sy=True),
    bird("红嘴鸥", "Chroicocephalus ridibundus", "鸻形目", "鸥科", sy=True, aliases=(("海鸥", F),)),
    bird("普通燕鸥", "Sterna hirundo", "鸻形目", "鸥科", sy=True),
    bird("灰翅浮鸥", "Chlidonias hybrida", "鸻形目", "鸥科", sy=True, aliases=(("须浮鸥", FM),)),
    bird(
        "环颈雉",
        "Phasianus colchicus",
        "鸡形目",
        "雉科",
        sy=True,
        sy00=True,
        aliases=(("野鸡", F), ("山鸡", F), ("雉鸡", FM)),
        is_livestock=True,
        livestock_note="雉鸡：列入畜禽遗传资源目录，人工饲养的按畜禽管理；野外种群为“三有”（仅限野外种群）",
        notes={SY2023: "原名雉鸡；仅限野外种群"},
    ),
    bird("石鸡", "Alectoris chukar", "鸡形目", "雉科", sy=True, aliases=(("嘎嘎鸡", F),)),
    bird("鹌鹑", "Coturnix japonica", "鸡形目", "雉科", sy=True, aliases=(("日本鹌鹑", F),), notes={SY2023: WILD}, description="人工饲养的鹌鹑属传统家禽；野外种群为“三有”（仅限野外种群）。"),
    bird("珠颈斑鸠", "Streptopelia chinensis", "鸽形目", "鸠鸽科", sy=True, sy00=True, aliases=(("野鸽子", F), ("斑鸠", F))),
    bird("山斑鸠", "Streptopelia orientalis", "鸽形目", "鸠鸽科", sy=True, sy00=True, aliases=(("野鸽子", F), ("斑鸠", F))),
    bird("大杜鹃", "Cuculus canorus", "鹃形目", "杜鹃科", sy=True, sy00=True, aliases=(("布谷鸟", F),)),
    bird("戴胜", "Upupa epops", "犀鸟目", "戴胜科", sy=True, sy00=True, aliases=(("臭咕咕", F),)),
    bird("普通翠鸟", "Alcedo atthis", "佛法僧目", "翠鸟科", sy=True, sy00=True, aliases=(("鱼狗", F),)),
    bird("大斑啄木鸟", "Dendrocopos major", "啄木鸟目", "啄木鸟科", sy=True, aliases=(("啄木鸟", F),)),
    bird("灰头绿啄木鸟", "Picus canus", "啄木鸟目", "啄木鸟科", sy=True, aliases=(("啄木鸟", F),)),
    bird("红尾伯劳", "Lanius cristatus", "雀形目", "伯劳科", sy=True),
    bird("黑卷尾", "Dicrurus macrocercus", "雀形目", "卷尾科", sy=True),
    bird("喜鹊", "Pica pica", "雀形目", "鸦科", sy=True, sy00=True),
    bird("灰喜鹊", "Cyanopica cyanus", "雀形目", "鸦科", sy=True, sy00=True),
    bird("煤山雀", "Periparus ater", "雀形目", "山雀科", sy=True, aliases=(("背儿", T),), description="鸟市行话称“背儿”。"),
    bird("大山雀", "Parus cinereus", "雀形目", "山雀科", sy=True, aliases=(("白脸山雀", F),)),
    bird("白头鹎", "Pycnonotus sinensis", "雀形目", "鹎科", sy=True, aliases=(("白头翁", F),)),
    bird("家燕", "Hirundo rustica", "雀形目", "燕科", sy=True, aliases=(("燕子", F),)),
    bird("金腰燕", "Cecropis daurica", "雀形目", "燕科", sy=True, aliases=(("燕子", F),)),
    bird("银喉长尾山雀", "Aegithalos glaucogularis", "雀形目", "长尾山雀科", sy=True),
    bird("东方大苇莺", "Acrocephalus orientalis", "雀形目", "苇莺科", sy=True),
    bird("棕头鸦雀", "Sinosuthora webbiana", "雀形目", "莺鹛科", sy=True, aliases=(("棕翅缘鸦雀", FM), ("Paradoxornis webbianus", SYN))),
    bird("八哥", "Acridotheres cristatellus", "雀形目", "椋鸟科", sy=True, sy00=True),
    bird("灰椋鸟", "Spodiopsar cineraceus", "雀形目", "椋鸟科", sy=True),
    bird("乌鸫", "Turdus mandarinus", "雀形目", "鸫科", sy=True, sy00=True),
    bird("北红尾鸲", "Phoenicurus auroreus", "雀形目", "鹟科", sy=True),
    bird("麻雀", "Passer montanus", "雀形目", "雀科", sy=True, sy00=True, aliases=(("家雀", F),)),
    bird("白鹡鸰", "Motacilla alba", "雀形目", "鹡鸰科", sy=True),
    bird("金翅雀", "Chloris sinica", "雀形目", "燕雀科", sy=True),
    bird("黑尾蜡嘴雀", "Eophona migratoria", "雀形目", "燕雀科", sy=True, aliases=(("蜡嘴", F),)),
    bird("三道眉草鹀", "Emberiza cioides", "雀形目", "鹀科", sy=True),
    bird("黄喉鹀", "Emberiza elegans", "雀形目", "鹀科", sy=True),
    # --- mammals ------------------------------------------------------------------------------------------------
    mammal("豹猫", "Prionailurus bengalensis", "食肉目", "猫科", nk="2", sy00=True, aliases=(("山狸子", F), ("狸猫", F), ("野猫", F), ("钱猫", F))),
    mammal(
        "貉",
        "Nyctereutes procyonoides",
        "食肉目",
        "犬科",
        nk="2",
        sy00=True,
        wild_only=True,
        aliases=(("貉子", F),),
        is_livestock=True,
        livestock_note="貉（非食用）：列入畜禽遗传资源目录，人工饲养的按畜禽管理；野外种群为国家二级",
        notes={NK2021: WILD},
    ),
    mammal(
        "赤狐",
        "Vulpes vulpes",
        "食肉目",
        "犬科",
        nk="2",
        sy00=True,
        aliases=(("狐狸", F), ("银狐", T)),
        is_livestock=True,
        livestock_note="银狐（非食用）为赤狐的人工饲养品种，列入畜禽遗传资源目录；野外赤狐为国家二级",
    ),
    mammal("狼", "Canis lupus", "食肉目", "犬科", nk="2", sy00=True, aliases=(("野狼", F),)),
    mammal("豺", "Cuon alpinus", "食肉目", "犬科", nk="1", old="2", aliases=(("豺狗", F),)),
    mammal("水獭", "Lutra lutra", "食肉目", "鼬科", nk="2", old="2", aquatic=True, aliases=(("獭", F),)),
    mammal("黄喉貂", "Martes flavigula", "食肉目", "鼬科", nk="2", aliases=(("青鼬", F),)),
    mammal("黄鼬", "Mustela sibirica", "食肉目", "鼬科", sy=True, sy00=True, aliases=(("黄鼠狼", F), ("黄狼", F))),
    mammal("狗獾", "Meles meles", "食肉目", "鼬科", sy=True, sy00=True, aliases=(("亚洲狗獾", F), ("獾子", F), ("獾", F))),
    mammal("猪獾", "Arctonyx collaris", "食肉目", "鼬科", sy=True, sy00=True, aliases=(("獾子", F), ("沙獾", F))),
    mammal("小灵猫", "Viverricula indica", "食肉目", "灵猫科", nk="1", old="2", aliases=(("香狸", F),)),
    mammal(
        "花面狸",
        "Paguma larvata",
        "食肉目",
        "灵猫科",
        sy=True,
        sy00=True,
        aliases=(("果子狸", F), ("白鼻狗", F)),
        notes={SY2023: WILD},
        description="俗称果子狸；2003年后以其为宿主的疫病风险广受关注，禁止食用。",
    ),
    mammal("西太平洋斑海豹", "Phoca largha", "食肉目", "海豹科", nk="1", old="2", aquatic=True, aliases=(("斑海豹", FM), ("海豹", F))),
    mammal(
        "梅花鹿",
        "Cervus nippon",
        "偶蹄目",
        "鹿科",
        nk="1",
        old="1",
        wild_only=True,
        aliases=(("花鹿", F),),
        is_livestock=True,
        livestock_note="梅花鹿：列入畜禽遗传资源目录，人工饲养的按畜禽管理；野外种群为国家一级",
        notes={NK2021: WILD},
    ),
    mammal(
        "马鹿",
        "Cervus canadensis",
        "偶蹄目",
        "鹿科",
        nk="2",
        wild_only=True,
        is_livestock=True,
        livestock_note="马鹿：列入畜禽遗传资源目录，人工饲养的按畜禽管理；野外种群为国家二级",
        notes={NK2021: WILD},
    ),
    mammal("獐", "Hydropotes inermis", "偶蹄目", "鹿科", nk="2", aliases=(("河麂", FM), ("牙獐", F), ("獐子", F)), notes={NK2021: "原名“河麂”"}),
    mammal("狍", "Capreolus pygargus", "偶蹄目", "鹿科", sy=True, aliases=(("狍子", F), ("傻狍子", F))),
    mammal("中华斑羚", "Naemorhedus griseus", "偶蹄目", "牛科", nk="2", aliases=(("斑羚", FM), ("青羊", F))),
    mammal(
        "野猪",
        "Sus scrofa",
        "偶蹄目",
        "猪科",
        sy00=True,
        description="2000年列入“三有”名录；2023年名录不再列入（种群数量多、致害严重）。",
    ),
    mammal("东亚江豚", "Neophocaena sunameri", "鲸目", "鼠海豚科", nk="2", aquatic=True, aliases=(("江猪", F),)),
    mammal(
        "穿山甲",
        "Manis pentadactyla",
        "鳞甲目",
        "鲮鲤科",
        nk="1",
        old="2",
        aliases=(("中华穿山甲", F), ("鲮鲤", F), ("甲片", T), ("山甲片", T), ("穿山甲片", T)),
        description="1989年名录为国家二级；2020年6月5日起穿山甲属所有种调整为国家一级。“甲片”指其鳞片制品。",
    ),
    mammal("马来穿山甲", "Manis javanica", "鳞甲目", "鲮鲤科", nk="1", aliases=(("甲片", T),)),
    mammal(
        "亚洲象",
        "Elephas maximus",
        "长鼻目",
        "象科",
        nk="1",
        old="1",
        aliases=(("白料", T), ("象牙", T)),
        description="“白料”是象牙制品的交易行话。",
    ),
    mammal(
        "非洲象",
        "Loxodonta africana",
        "长鼻目",
        "象科",
        aliases=(("白料", T), ("象牙", T)),
        description="未列入国家重点名录；属《濒危野生动植物种国际贸易公约》附录物种，经核准按国家重点保护野生动物管理。",
    ),
    mammal("白犀", "Ceratotherium simum", "奇蹄目", "犀科", aliases=(("黑料", T), ("犀角", T), ("犀牛角", T)), description="公约附录物种，核准后按国家重点保护野生动物管理；“黑料”为犀角行话。"),
    mammal("黑犀", "Diceros bicornis", "奇蹄目", "犀科", aliases=(("黑料", T), ("犀角", T), ("犀牛角", T)), description="公约附录物种，核准后按国家重点保护野生动物管理；“黑料”为犀角行话。"),
    mammal("东北刺猬", "Erinaceus amurensis", "劳亚食虫目", "猬科", sy=True, sy00=True, aliases=(("刺猬", F), ("刺球子", F)), description="并无“国家三级”之说，刺猬为“三有”。"),
    mammal("蒙古兔", "Lepus tolai", "兔形目", "兔科", sy=True, sy00=True, aliases=(("野兔", F), ("草兔", FM), ("山兔", F))),
    mammal("岩松鼠", "Sciurotamias davidianus", "啮齿目", "松鼠科", sy=True, aliases=(("扫毛子", F),)),
    mammal("北花松鼠", "Tamias sibiricus", "啮齿目", "松鼠科", sy=True, aliases=(("花鼠", FM), ("五道眉", F), ("Eutamias sibiricus", SYN))),
    # livestock-listed species kept for identification (not protected wildlife in China)
    mammal("驯鹿", "Rangifer tarandus", "偶蹄目", "鹿科", is_livestock=True, livestock_note="驯鹿：列入畜禽遗传资源目录"),
    mammal("羊驼", "Vicugna pacos", "偶蹄目", "骆驼科", is_livestock=True, livestock_note="羊驼：列入畜禽遗传资源目录"),
    mammal("美洲水貂", "Neogale vison", "食肉目", "鼬科", is_livestock=True, livestock_note="水貂（非食用）：列入畜禽遗传资源目录", aliases=(("水貂", F),)),
    mammal("北极狐", "Vulpes lagopus", "食肉目", "犬科", is_livestock=True, livestock_note="北极狐（非食用）：列入畜禽遗传资源目录", aliases=(("蓝狐", T),)),
    bird("火鸡", "Meleagris gallopavo", "鸡形目", "雉科", is_livestock=True, livestock_note="火鸡：列入畜禽遗传资源目录"),
    bird("珍珠鸡", "Numida meleagris", "鸡形目", "珠鸡科", is_livestock=True, livestock_note="珍珠鸡：列入畜禽遗传资源目录"),
    bird("番鸭", "Cairina moschata", "雁形目", "鸭科", is_livestock=True, livestock_note="番鸭：列入畜禽遗传资源目录"),
    bird("鸵鸟", "Struthio camelus", "鸵形目", "鸵鸟科", is_livestock=True, livestock_note="鸵鸟：列入畜禽遗传资源目录"),
    bird("鸸鹋", "Dromaius novaehollandiae", "鹤鸵目", "鸸鹋科", is_livestock=True, livestock_note="鸸鹋：列入畜禽遗传资源目录"),
    # --- reptiles -----------------------------------------------------------------------------------------------
    reptile("乌龟", "Mauremys reevesii", "龟鳖目", "地龟科", nk="2", aquatic=True, wild_only=True, aliases=(("草龟", F), ("金线龟", T), ("中华草龟", F)), notes={NK2021: WILD}),
    reptile("黄喉拟水龟", "Mauremys mutica", "龟鳖目", "地龟科", nk="2", aquatic=True, wild_only=True, aliases=(("石金钱龟", T), ("石龟", F)), notes={NK2021: WILD}),
    reptile("黄缘闭壳龟", "Cuora flavomarginata", "龟鳖目", "地龟科", aquatic=True, aliases=(("黄缘盒龟", F), ("夹板龟", F), ("克蛇龟", F))),
    reptile("三线闭壳龟", "Cuora trifasciata", "龟鳖目", "地龟科", aquatic=True, aliases=(("金钱龟", T), ("红肚龟", F))),
    reptile("中华鳖", "Pelodiscus sinensis", "龟鳖目", "鳖科", aquatic=True, aliases=(("甲鱼", F), ("团鱼", F), ("王八", F))),
    reptile("团花锦蛇", "Elaphe davidi", "有鳞目", "游蛇科", nk="2"),
    reptile("蟒蛇", "Python bivittatus", "有鳞目", "蟒科", nk="2", old="1", aliases=(("蟒", FM), ("缅甸蟒", F)), notes={NK2021: "原名“蟒”"}),
    reptile("王锦蛇", "Elaphe carinata", "有鳞目", "游蛇科", sy=True, sy00=True, aliases=(("菜花蛇", F), ("大王蛇", F)), notes={SY2023: WILD}),
    reptile("白条锦蛇", "Elaphe dione", "有鳞目", "游蛇科", sy=True, aliases=(("枕纹锦蛇", F), ("麻蛇", F))),
    reptile("乌梢蛇", "Ptyas dhumnades", "有鳞目", "游蛇科", sy=True, sy00=True, aliases=(("乌蛇", F), ("Zaocys dhumnades", SYN))),
    reptile("赤链蛇", "Lycodon rufozonatus", "有鳞目", "游蛇科", sy=True, sy00=True, aliases=(("火赤链", F), ("Dinodon rufozonatum", SYN))),
    reptile("虎斑颈槽蛇", "Rhabdophis tigrinus", "有鳞目", "水游蛇科", sy=True, aliases=(("野鸡脖子", F),)),
    reptile("短尾蝮", "Gloydius brevicaudus", "有鳞目", "蝰科", sy=True, aliases=(("土球子", F), ("草上飞", F))),
    reptile("丽斑麻蜥", "Eremias argus", "有鳞目", "蜥蜴科", sy=True, aliases=(("麻蜥", F), ("蛇虫子", F))),
    reptile("无蹼壁虎", "Gekko swinhonis", "有鳞目", "壁虎科", sy=True, aliases=(("壁虎", F), ("蝎虎", F))),
    # --- amphibians ---------------------------------------------------------------------------------------------
    amphibian("大鲵", "Andrias davidianus", "有尾目", "隐鳃鲵科", nk="2", old="2", aquatic=True, wild_only=True, aliases=(("娃娃鱼", F),), notes={NK2021: WILD}),
    amphibian("虎纹蛙", "Hoplobatrachus chinensis", "无尾目", "叉舌蛙科", nk="2", old="2", aquatic=True, wild_only=True, aliases=(("水鸡", F), ("田鸡", F)), notes={NK2021: WILD}),
    amphibian("中华蟾蜍", "Bufo gargarizans", "无尾目", "蟾蜍科", sy=True, sy00=True, aliases=(("癞蛤蟆", F), ("蟾蜍", F))),
    amphibian("花背蟾蜍", "Strauchbufo raddei", "无尾目", "蟾蜍科", sy=True, aliases=(("癞蛤蟆", F), ("Bufo raddei", SYN))),
    amphibian("黑斑侧褶蛙", "Pelophylax nigromaculatus", "无尾目", "蛙科", sy00=True, aliases=(("田鸡", F), ("青蛙", F), ("黑斑蛙", FM)), description=FROG_2023),
    amphibian("金线侧褶蛙", "Pelophylax plancyi", "无尾目", "蛙科", sy00=True, aliases=(("金线蛙", FM),), description=FROG_2023),
    amphibian("北方狭口蛙", "Kaloula borealis", "无尾目", "姬蛙科", aliases=(("气蛤蟆", F),), description=FROG_2023),
    amphibian("东方铃蟾", "Bombina orientalis", "无尾目", "铃蟾科", sy=True, aliases=(("红肚皮蛤蟆", F),)),
    # --- fish and lancelets -------------------------------------------------------------------------------------
    fish("中华鲟", "Acipenser sinensis", "鲟形目", "鲟科", nk="1", old="1"),
    fish("北方铜鱼", "Coreius septentrionalis", "鲤形目", "鮈科", nk="1", aliases=(("鸽子鱼", F),)),
    fish("松江鲈", "Trachidermus fasciatus", "鲉形目", "杜父鱼科", nk="2", old="2", wild_only=True, aliases=(("松江鲈鱼", FM), ("四鳃鲈", F)), notes={NK2021: "仅限野外种群。原名“松江鲈鱼”"}),
    _e("青岛文昌鱼", "Branchiostoma tsingdauense", "狭心纲", "文昌鱼目", "文昌鱼科", nk="2", aquatic=True, wild_only=True, notes={NK2021: WILD}),
    _e("厦门文昌鱼", "Branchiostoma belcheri", "狭心纲", "文昌鱼目", "文昌鱼科", nk="2", aquatic=True, wild_only=True, aliases=(("文昌鱼", FM),), notes={NK2021: "仅限野外种群。原名“文昌鱼”。"}),
    fish("鲤", "Cyprinus carpio", "鲤形目", "鲤科", aliases=(("鲤鱼", F),)),
    fish("鲫", "Carassius auratus", "鲤形目", "鲤科", aliases=(("鲫鱼", F),)),
    fish("草鱼", "Ctenopharyngodon idella", "鲤形目", "鲴科", aliases=(("鲩", F),)),
    fish("鲢", "Hypophthalmichthys molitrix", "鲤形目", "鲴科", aliases=(("白鲢", F),)),
    fish("鳙", "Hypophthalmichthys nobilis", "鲤形目", "鲴科", aliases=(("花鲢", F), ("胖头鱼", F))),
    fish("马口鱼", "Opsariichthys bidens", "鲤形目", "鲴科", aliases=(("桃花鱼", F),)),
    fish("宽鳍鱲", "Zacco platypus", "鲤形目", "鲴科", aliases=(("双尾鱼", F),)),
    fish("翘嘴鲌", "Culter alburnus", "鲤形目", "鲴科", aliases=(("白鱼", F), ("翘嘴", F))),
    fish("麦穗鱼", "Pseudorasbora parva", "鲤形目", "鮈科", aliases=(("罗汉鱼", F),)),
    fish("棒花鱼", "Abbottina rivularis", "鲤形目", "鮈科"),
    fish("中华鳑鲏", "Rhodeus sinensis", "鲤形目", "鱊科", aliases=(("鳑鲏", F),)),
    fish("泥鳅", "Misgurnus anguillicaudatus", "鲤形目", "花鳅科"),
    fish("黄颡鱼", "Tachysurus fulvidraco", "鲇形目", "鲿科", aliases=(("嘎鱼", F), ("黄辣丁", F))),
    fish("鲇", "Silurus asotus", "鲇形目", "鲇科", aliases=(("鲇鱼", F), ("鲶鱼", F))),
    fish("乌鳢", "Channa argus", "鲈形目", "鳢科", aliases=(("黑鱼", F), ("财鱼", F))),
    fish("鳜", "Siniperca chuatsi", "鲈形目", "鮨鲈科", aliases=(("鳜鱼", F), ("桂鱼", F))),
    fish("子陵吻虾虎鱼", "Rhinogobius giurinus", "鲈形目", "虾虎鱼科"),
    fish("黄鳝", "Monopterus albus", "合鳃鱼目", "合鳃鱼科", aliases=(("鳝鱼", F),)),
    fish("日本鳗鲡", "Anguilla japonica", "鳗鲡目", "鳗鲡科", aliases=(("鳗鱼", F), ("白鳝", F))),
]
