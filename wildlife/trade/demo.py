"""Demo records of online-trade monitoring (clearly demo: platforms named 演示, listing titles start with 【演示】):
a keyword table, a few dozen listings around 周村区 with hits, and a review queue partly worked by demo_market."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wildlife.trade.choices import ListingSource, ListingStatus
from wildlife.trade.importers import ListingInput
from wildlife.trade.models import CollectorSource, Listing, Platform

PLATFORMS = (
    ("demo-xianzhi", "闲置集市（演示）", "演示闲置网络科技有限公司", "杭州市（演示地址）", "compliance@xianzhi.example"),
    ("demo-pintuan", "拼团商城（演示）", "演示拼团电子商务有限公司", "上海市（演示地址）", "jianguan@pintuan.example"),
    ("demo-video", "短视频直播（演示）", "演示短视频科技有限公司", "北京市（演示地址）", "report@video.example"),
    ("demo-local", "周村同城群（演示）", "演示同城信息服务部", "淄博市周村区（演示地址）", "13800000000"),
)

# (platform, id, title, text, seller account, seller name, phone, price, days ago, place)
LISTINGS: tuple[tuple[str, str, str, str, str, str, str, str | None, int, str], ...] = (
    ("demo-xianzhi", "D001", "老料甲片 整片 药用", "山甲片老货，整片无碎，懂的私聊，可寄顺丰", "shanhuo_laowang", "山货老王", "13905331234", "1800", 2, "淄博周村"),
    ("demo-xianzhi", "D002", "白料手串 老象牙 包浆好", "正宗白料，雕件手串，包邮，不退不换", "wenwan_88", "文玩八八", "", "12000", 3, "潍坊"),
    ("demo-video", "D003", "出售画眉鸟活体 野生 会叫", "南部山区现抓的画眉，活体包活，同城自提可寄", "niaoyou_zc", "周村鸟友", "13705339876", "380", 1, "周村区王村镇"),
    ("demo-local", "D004", "捕 鸟 网 一张 50米", "粘网雾网都有，孝妇河边好用，现货", "yubei_sd", "渔具批发", "15615334567", "65", 4, "周村区北郊镇"),
    ("demo-pintuan", "D005", "野猪夹 捕兽夹 加厚", "猎夹大号，山里用，包邮", "wujin_store", "五金店", "", "89", 6, "临沂"),
    ("demo-local", "D006", "禾花雀 十只 新鲜", "禾花雀现杀，冷链可寄，数量有限", "yewei_lao", "野味老李", "13953312222", "260", 2, "周村区南郊镇"),
    ("demo-video", "D007", "川 山 甲 活体 转让", "川山甲活的，私信详谈", "yx_2024", "一休", "", "5000", 5, "济南"),
    ("demo-xianzhi", "D008", "果子狸 活体 出售", "野生果子狸一只，可寄", "shanli_01", "山里人家", "", "900", 8, "淄川"),
    ("demo-local", "D009", "野鸭 野鸡 山货 年货", "文昌湖边打的野鸭，还有野鸡，山货包邮", "nianhuo_zc", "年货铺子", "13853315555", "120", 9, "周村区萌水镇"),
    ("demo-pintuan", "D010", "电猫 捕猎器 超声波", "电捕器大功率，可发快递", "huwai_tools", "户外工具", "", "450", 10, "菏泽"),
    ("demo-video", "D011", "犀角杯 老物件", "黑料犀角杯，收藏级，私聊", "gucang_zhai", "古藏斋", "", "88000", 7, "北京"),
    ("demo-xianzhi", "D012", "红嘴相思鸟 一对", "相思鸟一对，鸟友转让，包活", "xiangsi_bird", "相思鸟舍", "", "160", 12, "周村区王村镇"),
    ("demo-local", "D013", "刺猬 活体 野生", "山上抓的刺猬两只，出售", "zc_nongjia", "农家小院", "", "80", 3, "周村区商家镇"),
    ("demo-video", "D014", "ｘｉａｎｇ ｙａ 手镯", "象 牙 手镯，老料，包邮", "shoushi_7", "首饰柒", "", "6600", 1, "广州"),
    ("demo-pintuan", "D015", "鸟媒 电子鸟媒 播放器", "鸟媒声音全套，引鸟效果好，现货", "yinniao_qi", "引鸟器材", "", "120", 11, "郑州"),
    ("demo-local", "D016", "娃娃鱼 野生 大个", "哇哇鱼野生的，鲜活，可寄", "hexian_zc", "河鲜", "", "1500", 6, "周村区"),
    # ordinary listings and near misses
    ("demo-pintuan", "D101", "象牙白 瓷砖 800×800", "象牙白抛光砖，客厅卧室通用，包邮", "cizhuan_fac", "瓷砖厂家", "", "45", 2, "淄博"),
    ("demo-pintuan", "D102", "穿山甲钻机 配件", "穿山甲牌水平定向钻机配件，设备维修，出售", "zuanji_parts", "钻机配件", "", "3200", 5, "徐州"),
    ("demo-xianzhi", "D103", "《穿山甲的秘密》儿童绘本", "科普绘本，全新，包邮", "shuwu_01", "小书屋", "", "25", 7, "周村区"),
    ("demo-xianzhi", "D104", "宠物猫粮 10斤装", "成猫粮，鸡肉味，包邮", "mao_shop", "喵喵屋", "", "99", 1, "周村区"),
    ("demo-local", "D105", "周村烧饼 礼盒装", "周村特产烧饼，香酥，包邮", "shaobing_zc", "烧饼老铺", "", "58", 3, "周村区"),
    ("demo-video", "D106", "养殖野兔 检疫合格 批发", "人工养殖野兔，养殖场直供，检疫合格证齐全", "tuzi_farm", "兔业合作社", "", "35", 4, "周村区南郊镇"),
    ("demo-local", "D107", "野味馆 探店", "这家野味馆的养殖野鸡做得不错，大众点评推荐", "chihuo_zc", "周村吃货", "", None, 2, "周村区"),
    ("demo-pintuan", "D108", "仿真穿山甲 模型 摆件", "树脂仿真模型，儿童玩具", "moxing_world", "模型世界", "", "39", 6, "义乌"),
    ("demo-xianzhi", "D109", "二手自行车 九成新", "通勤用，可小刀", "bike_zc", "骑行者", "", "300", 8, "周村区"),
    ("demo-video", "D110", "明星黑料大全 合集", "娱乐八卦黑料曝光", "bagua_tv", "八卦台", "", None, 1, "—"),
    ("demo-xianzhi", "D111", "鸡肉卷 冷冻 半成品", "鸡肉卷早餐，包邮", "zaocan_shop", "早餐铺", "", "29", 5, "周村区"),
    ("demo-pintuan", "D112", "防鸟网 果园 葡萄", "果园防鸟网，网眼大，不伤鸟", "guoyuan_net", "果园用品", "", "120", 9, "周村区王村镇"),
)

# (id, outcome, note) — the part of the queue demo_market has worked
REVIEWS: tuple[tuple[str, str, str], ...] = (
    ("D002", ListingStatus.TAKEDOWN_REQUESTED, "“白料”为象牙制品行话，图片为象牙手串，请平台删除。"),
    ("D004", ListingStatus.TAKEDOWN_REQUESTED, "出售捕鸟网（粘网、雾网），属禁止使用的猎捕工具。"),
    ("D012", ListingStatus.FALSE_POSITIVE, "卖家提供人工繁育许可证和专用标识，来源合法。"),
    ("D009", ListingStatus.REVIEWING, ""),
    ("D013", ListingStatus.REVIEWING, ""),
)


def _platforms() -> dict[str, Platform]:
    result: dict[str, Platform] = {}
    for code, name, operator, address, contact in PLATFORMS:
        platform, _created = Platform.objects.update_or_create(
            code=code, defaults={"name": name, "operator": operator, "address": address, "contact": contact, "is_active": True}
        )
        result[code] = platform
    return result


def load() -> str:
    """Idempotent: platforms, the keyword table, demo listings and reviews are created once."""
    from wildlife.accounts.models import User
    from wildlife.trade.services import (
        listing_mark_false_positive,
        listing_request_takedown,
        listing_review_start,
        listings_store,
        term_table_seed,
    )

    actor = User.objects.filter(username="demo_market").first()
    platforms = _platforms()
    version = term_table_seed(actor=actor)
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for code in platforms:
            rows = [
                ListingInput(
                    title=f"【演示】{title}",
                    text=text,
                    url=f"https://{code}.example/item/{ident}",
                    external_id=f"DEMO-{ident}",
                    seller_account=account,
                    seller_name=name,
                    seller_phone=phone,
                    price=Decimal(price) if price else None,
                    captured_at=now - dt.timedelta(days=days, hours=3),
                    location_text=place,
                )
                for platform_code, ident, title, text, account, name, phone, price, days, place in LISTINGS
                if platform_code == code
            ]
            created += len(listings_store(actor=actor, platform=platforms[code], inputs=rows, source=ListingSource.EXPORT).created)
    reviewed = 0
    if actor is not None:
        for ident, outcome, note in REVIEWS:
            listing = Listing.objects.filter(external_id=f"DEMO-{ident}", status=ListingStatus.NEW).first()
            if listing is None:
                continue
            if outcome == ListingStatus.TAKEDOWN_REQUESTED:
                listing_request_takedown(actor=actor, listing=listing, reason=note)
            elif outcome == ListingStatus.FALSE_POSITIVE:
                listing_mark_false_positive(actor=actor, listing=listing, note=note)
            else:
                listing_review_start(actor=actor, listing=listing)
            reviewed += 1
        CollectorSource.objects.get_or_create(
            name="演示采集源（需配置允许主机）",
            defaults={
                "platform": platforms["demo-local"],
                "parser": "html_microdata",
                "urls": "https://demo-local.example/list?page=1",
                "enabled": False,
                "interval_minutes": 24 * 60,
                "created_by": actor,
            },
        )
    return f"关键词库 v{version.number}（{version.term_count} 个词条），演示商品信息新增 {created} 条，审核 {reviewed} 条"
