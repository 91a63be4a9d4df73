from django.db import models
from django.utils.translation import gettext_lazy as _


class PatrolKind(models.TextChoices):
    MOUNTAIN = "mountain", _("山林巡护")
    RIVER = "river", _("河湖巡护")
    WETLAND = "wetland", _("湿地巡护")
    FARMLAND = "farmland", _("农田村庄巡查")
    JOINT = "joint", _("联合巡查")


class TrackSource(models.TextChoices):
    GPX = "gpx", _("GPX 轨迹文件")
    GEOJSON = "geojson", _("GeoJSON 文件")
    DRAWN = "drawn", _("地图绘制")


class IncidentKind(models.TextChoices):
    """What a patrol noted along the way: a wildlife sighting or one of the incident kinds of the brief."""

    SIGHTING = "sighting", _("野生动物观察")
    ILLEGAL_HUNTING = "illegal_hunting", _("疑似非法捕猎")
    HUNTING_TOOL = "hunting_tool", _("猎具")
    DEAD_WILDLIFE = "dead_wildlife", _("死亡野生动物")
    HABITAT_DAMAGE = "habitat_damage", _("栖息地破坏")
    OTHER = "other", _("其他")


INCIDENT_KINDS = frozenset(k for k in IncidentKind.values if k != IncidentKind.SIGHTING)


class EscalationKind(models.TextChoices):
    TIPOFF = "tipoff", _("转为举报线索")
    CASE = "case", _("立案")


class TargetKind(models.TextChoices):
    MARKET = "market", _("农贸/花鸟市场")
    RESTAURANT = "restaurant", _("餐饮场所")
    PET_SHOP = "pet_shop", _("宠物店")
    EXPRESS = "express", _("快递网点")
    BREEDING = "breeding", _("人工繁育场所")


# kinds the market supervision department inspects (notice §3.2); breeding sites belong to the wildlife authorities
MARKET_SUPERVISED_KINDS = (TargetKind.MARKET, TargetKind.RESTAURANT, TargetKind.PET_SHOP, TargetKind.EXPRESS)


class Answer(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("已登记")
    RECTIFYING = "rectifying", _("整改中")
    VERIFIED = "verified", _("复查合格")
    CLOSED = "closed", _("已办结")


class FollowUpResult(models.TextChoices):
    PASSED = "passed", _("整改到位")
    FAILED = "failed", _("未整改到位")


class EquipmentKind(models.TextChoices):
    BODY_CAMERA = "body_camera", _("执法记录仪")
    DRONE = "drone", _("无人机")
    RADIO = "radio", _("对讲机")
    GPS = "gps", _("GPS 定位终端")
    BINOCULARS = "binoculars", _("望远镜")
    CAMERA_TRAP = "camera_trap", _("红外相机")
    VEHICLE = "vehicle", _("执法车辆")
    RESCUE_KIT = "rescue_kit", _("救护器材")
    OTHER = "other", _("其他")


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    IN_STOCK = "in_stock", _("库存")
    REPAIR = "repair", _("维修中")
    SCRAPPED = "scrapped", _("已报废")


class AttachmentRole(models.TextChoices):
    PHOTO = "photo", _("照片")
    MATERIAL = "material", _("培训材料")
