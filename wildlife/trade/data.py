"""The starter keyword table (our own compilation; editable in the platform, every change makes a new version).

Sources: domain_cn.md §2.4 and §10 (trade slang reported in the press: 白料 = ivory, 黑料 = rhino horn, 甲片 = pangolin
scales, 背儿, 野味, 山货, 干货; evasions reported by platforms), Law Art.24 for banned hunting tools and methods, and
the phrases that made false alarms in our labelled set (象牙白 tiles, 穿山甲 drilling rigs, picture books).
Species names and aliases come from the species catalogue (species_term_table) when the table is synchronised.
"""

from __future__ import annotations

from typing import TypedDict


class SeedTerm(TypedDict, total=False):
    term: str
    category: str
    weight: int
    variants: list[str]
    note: str


# weights of species names by protection class (base score of a listing naming the species)
PROTECTION_WEIGHTS: dict[str, int] = {
    "national_1": 60,
    "national_2": 45,
    "provincial": 30,
    "sanyou": 25,
    "none": 10,
}

# homophones and spellings sellers use for catalogue names (added as variants when the species terms are synced)
SPECIES_VARIANTS: dict[str, list[str]] = {
    "穿山甲": ["川山甲", "穿三甲", "船山甲", "穿山钾"],
    "象牙": ["象呀", "相牙", "像牙"],
    "犀角": ["西角", "犀甬"],
    "犀牛角": ["西牛角"],
    "禾花雀": ["禾化雀", "和花雀"],
    "果子狸": ["果子梨", "菓子狸"],
    "娃娃鱼": ["哇哇鱼", "娃娃渔"],
    "画眉": ["画梅"],
    "猫头鹰": ["猫头英", "夜猫子"],
    "玳瑁": ["代瑁", "玳冒"],
    "熊胆": ["熊旦"],
}

SLANG: list[SeedTerm] = [
    {"term": "白料", "category": "slang", "weight": 55, "note": "象牙制品行话"},
    {"term": "黑料", "category": "slang", "weight": 40, "note": "犀角行话；也常见于娱乐八卦，需结合语境"},
    {"term": "甲片", "category": "slang", "weight": 55, "variants": ["山甲片", "甲骗"], "note": "穿山甲鳞片"},
    {"term": "鹤顶红", "category": "slang", "weight": 45, "note": "盔犀鸟头骨（收藏圈“一红二黑三白”）"},
    {"term": "一红二黑三白", "category": "slang", "weight": 55},
    {"term": "猛犸象牙", "category": "slang", "weight": 35, "note": "常被用作象牙的掩护说法"},
    {"term": "野味", "category": "slang", "weight": 25, "variants": ["野卫", "yewei"]},
    {"term": "山货", "category": "slang", "weight": 12},
    {"term": "野货", "category": "slang", "weight": 30},
    {"term": "鸟媒", "category": "tool", "weight": 55, "note": "电子鸟媒（诱捕装置）"},
    {"term": "电子鸟媒", "category": "tool", "weight": 60},
    {"term": "发活体", "category": "slang", "weight": 30, "note": "寄递活体鸟类的说法"},
    {"term": "拍笼", "category": "tool", "weight": 45, "note": "诱捕笼"},
    {"term": "熊胆", "category": "slang", "weight": 35},
    {"term": "虎骨", "category": "slang", "weight": 55},
    {"term": "虎鞭", "category": "slang", "weight": 50},
    {"term": "鹿鞭", "category": "slang", "weight": 10, "note": "多为养殖梅花鹿产品，需结合语境"},
    {"term": "穿山甲鳞片", "category": "slang", "weight": 60},
    {"term": "标本", "category": "slang", "weight": 20, "note": "鸟兽标本交易；单独出现分数不高，需结合物种名"},
    {"term": "象牙制品", "category": "slang", "weight": 60},
    {"term": "犀角杯", "category": "slang", "weight": 60},
    {"term": "犀角", "category": "slang", "weight": 55, "variants": ["犀牛角", "犀角粉"]},
    {"term": "穿山甲片", "category": "slang", "weight": 60},
    {"term": "玳瑁", "category": "slang", "weight": 50},
]

# Law Art.24 banned tools and methods, and the trade names they go under
TOOLS: list[SeedTerm] = [
    {"term": "猎夹", "category": "tool", "weight": 55, "variants": ["铁夹子", "捕兽夹", "野猪夹", "老鼠夹王"]},
    {"term": "猎套", "category": "tool", "weight": 50, "variants": ["钢丝套", "兽套"]},
    {"term": "捕鸟网", "category": "tool", "weight": 55, "variants": ["粘网", "雾网", "粘鸟网", "捕雀网", "bu niao wang"]},
    {"term": "电猫", "category": "tool", "weight": 55, "variants": ["电鱼机", "捕猎器", "电捕器", "超声波捕猎"]},
    {"term": "地枪", "category": "tool", "weight": 60},
    {"term": "排铳", "category": "tool", "weight": 60},
    {"term": "地弓", "category": "tool", "weight": 50},
    {"term": "猎枪", "category": "tool", "weight": 55},
    {"term": "气枪铅弹", "category": "tool", "weight": 45},
    {"term": "诱捕器", "category": "tool", "weight": 45},
    {"term": "捕鸟器", "category": "tool", "weight": 55},
    {"term": "毒饵", "category": "tool", "weight": 50},
    {"term": "夜间照明行猎", "category": "tool", "weight": 50},
]

# words of trade that raise the risk when they stand near a core word
CONTEXT: list[SeedTerm] = [
    {"term": "出售", "category": "context", "weight": 10, "variants": ["出手", "转让", "急出", "低价出"]},
    {"term": "收购", "category": "context", "weight": 12, "variants": ["求购", "高价收"]},
    {"term": "活体", "category": "context", "weight": 15, "variants": ["活的", "鲜活", "活物"]},
    {"term": "包邮", "category": "context", "weight": 8},
    {"term": "可寄", "category": "context", "weight": 10, "variants": ["可发快递", "快递发", "同城配送"]},
    {"term": "现货", "category": "context", "weight": 8},
    {"term": "野生", "category": "context", "weight": 12, "variants": ["野外捕", "山上抓", "现抓"]},
    {"term": "私聊", "category": "context", "weight": 8, "variants": ["私信", "加微信", "加v", "vx", "威信"]},
    {"term": "现杀", "category": "context", "weight": 12},
    {"term": "鸟友", "category": "context", "weight": 6},
    {"term": "正宗", "category": "context", "weight": 5},
    {"term": "老料", "category": "context", "weight": 10},
    {"term": "雕件", "category": "context", "weight": 8},
    {"term": "手串", "category": "context", "weight": 6},
    {"term": "土特产", "category": "context", "weight": 5},
]

# words that make a legal reading likely; they lower the score
MITIGATING: list[SeedTerm] = [
    {"term": "人工繁育", "category": "mitigating", "weight": -35, "variants": ["人工养殖", "人工饲养", "人工驯养"]},
    {"term": "养殖", "category": "mitigating", "weight": -25, "variants": ["养殖场", "家养", "圈养"]},
    {"term": "许可证", "category": "mitigating", "weight": -20, "variants": ["经营许可", "专用标识"]},
    {"term": "检疫合格", "category": "mitigating", "weight": -15},
    {"term": "仿真", "category": "mitigating", "weight": -40, "variants": ["仿制", "高仿"]},
    {"term": "模型", "category": "mitigating", "weight": -40},
    {"term": "玩具", "category": "mitigating", "weight": -45, "variants": ["玩偶", "毛绒", "公仔", "手办"]},
    {"term": "绘本", "category": "mitigating", "weight": -45, "variants": ["图书", "书籍", "科普书", "儿童读物", "纪录片"]},
    {"term": "钻机", "category": "mitigating", "weight": -50, "variants": ["掘进机", "机器人", "挖掘机", "机械", "设备", "配件"]},
    {"term": "树脂", "category": "mitigating", "weight": -30, "variants": ["塑料", "亚克力", "陶瓷"]},
    {"term": "贴纸", "category": "mitigating", "weight": -40, "variants": ["卡通", "图案", "印花", "T恤"]},
    {"term": "救助", "category": "mitigating", "weight": -20, "variants": ["放生", "送救助站", "报警"]},
    {"term": "点评", "category": "mitigating", "weight": -15, "variants": ["探店", "大众点评"]},
    {"term": "风筝", "category": "mitigating", "weight": -45, "variants": ["摩托车", "自行车", "汽车", "手表", "电火锅", "火锅"]},
    {"term": "领养", "category": "mitigating", "weight": -35, "variants": ["绝育", "流浪猫", "寻猫"]},
    {"term": "摄影", "category": "mitigating", "weight": -40, "variants": ["照片", "壁纸", "海报", "装饰画", "十字绣", "刺绣", "摄影作品"]},
    {"term": "门票", "category": "mitigating", "weight": -40, "variants": ["景区", "旅游", "观鸟", "科普"]},
    {"term": "化妆品", "category": "mitigating", "weight": -45, "variants": ["眉笔", "眼线", "彩妆"]},
]

# phrases whose core word means something else
EXCLUSIONS: list[SeedTerm] = [
    {"term": "象牙白", "category": "exclusion", "weight": 0, "variants": ["象牙色", "象牙黄", "象牙瓷", "象牙塔", "象牙红", "象牙芒", "象牙果", "象牙质"]},
    {"term": "仿象牙", "category": "exclusion", "weight": 0, "variants": ["象牙纹"]},
    {"term": "穿山甲钻机", "category": "exclusion", "weight": 0, "variants": ["穿山甲机器人", "穿山甲掘进", "穿山甲牌"]},
    {"term": "黑料曝光", "category": "exclusion", "weight": 0, "variants": ["明星黑料", "黑料不打烊", "爆黑料", "黑料大全"]},
    {"term": "鹤顶红茶", "category": "exclusion", "weight": 0},
    {"term": "野味餐厅", "category": "exclusion", "weight": 0, "variants": ["野味馆", "农家野味"]},
    {"term": "画眉笔", "category": "exclusion", "weight": 0, "variants": ["画眉深浅", "画眉膏"]},
    {"term": "天鹅绒", "category": "exclusion", "weight": 0, "variants": ["天鹅湖", "天鹅堡", "天鹅颈", "天鹅肉", "天鹅臂"]},
    {"term": "鸳鸯锅", "category": "exclusion", "weight": 0, "variants": ["鸳鸯火锅", "鸳鸯戏水", "鸳鸯枕", "鸳鸯奶茶", "鸳鸯眼"]},
    {"term": "大雁塔", "category": "exclusion", "weight": 0},
    {"term": "野狼摩托", "category": "exclusion", "weight": 0, "variants": ["野狼队", "野狼disco"]},
    {"term": "老鹰捉小鸡", "category": "exclusion", "weight": 0, "variants": ["老鹰风筝"]},
]


def starter_terms() -> list[SeedTerm]:
    """Every non-species term of the starter table."""
    return [*SLANG, *TOOLS, *CONTEXT, *MITIGATING, *EXCLUSIONS]
