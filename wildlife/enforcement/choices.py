"""Choices of the enforcement app: operations, tip-offs, cases, parties, seized items, the tracing graph and rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


# --- tip-offs ------------------------------------------------------------------------------------------------------


class TipoffChannel(models.TextChoices):
    """How a tip-off reached us."""

    PHONE_12345 = "phone_12345", _("12345 热线")
    WALK_IN = "walk_in", _("来访")
    LETTER = "letter", _("来信")
    WECHAT = "wechat", _("微信")
    AGENCY = "agency", _("其他机关转交")
    PATROL = "patrol", _("巡护发现")
    WEB = "web", _("网上举报")


STAFF_CHANNELS = [c for c in TipoffChannel.values if c != TipoffChannel.WEB]


class TipoffKind(models.TextChoices):
    """What the reporter says it is (public form wording)."""

    ILLEGAL = "illegal", _("违法行为")
    INJURED = "injured", _("受伤或受困动物")
    SIGHTING = "sighting", _("野生动物出没")


class TipoffCategory(models.TextChoices):
    """The category set at triage."""

    HUNTING = "hunting", _("非法猎捕")
    TRADE = "trade", _("非法交易")
    ONLINE_TRADE = "online_trade", _("网络交易")
    EATING = "eating", _("非法食用/餐饮")
    TRANSPORT = "transport", _("运输/寄递")
    BREEDING = "breeding", _("人工繁育")
    HABITAT = "habitat", _("破坏栖息地")
    RESCUE = "rescue", _("救护求助")
    SIGHTING = "sighting", _("出没/观察")
    OTHER = "other", _("其他")


class TipoffStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    TRIAGED = "triaged", _("已分类")
    ASSIGNED = "assigned", _("已交办")
    HANDLED = "handled", _("已办理")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_TIPOFF_STATUSES = [
    TipoffStatus.REGISTERED,
    TipoffStatus.TRIAGED,
    TipoffStatus.ASSIGNED,
    TipoffStatus.HANDLED,
]


class TipoffStage(models.TextChoices):
    """A stage with a configurable time limit, counted from the receipt of the tip-off."""

    TRIAGE = "triage", _("分类")
    HANDLE = "handle", _("办理")
    REPLY = "reply", _("答复")


# the stage whose deadline is due while the tip-off is in a status
STAGE_FOR_STATUS = {
    TipoffStatus.REGISTERED: TipoffStage.TRIAGE,
    TipoffStatus.TRIAGED: TipoffStage.HANDLE,
    TipoffStatus.ASSIGNED: TipoffStage.HANDLE,
    TipoffStatus.HANDLED: TipoffStage.REPLY,
}


# --- cases -------------------------------------------------------------------------------------------------------


class CaseOrigin(models.TextChoices):
    TIPOFF = "tipoff", _("举报")
    LISTING = "listing", _("网络交易监测")
    INSPECTION = "inspection", _("执法检查")
    PATROL = "patrol", _("巡护")
    AGENCY = "agency", _("其他机关移送")


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    TRANSFERRED = "transferred", _("已移送公安")
    DECIDED = "decided", _("已作出处理决定")
    CLOSED = "closed", _("已结案")


ACTIVE_CASE_STATUSES = [CaseStatus.OPENED, CaseStatus.INVESTIGATING, CaseStatus.TRANSFERRED, CaseStatus.DECIDED]
EDITABLE_CASE_STATUSES = [CaseStatus.OPENED, CaseStatus.INVESTIGATING, CaseStatus.TRANSFERRED, CaseStatus.DECIDED]


class CaseOutcome(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    CRIMINAL = "criminal", _("移送追究刑事责任")
    WARNING = "warning", _("批评教育/责令改正")
    NO_VIOLATION = "no_violation", _("不构成违法")
    TRANSFERRED_OUT = "transferred_out", _("移交其他机关")
    OTHER = "other", _("其他")


class OffenceType(models.TextChoices):
    """The kind of act; it selects the penalty article together with the protection class."""

    HUNTING = "hunting", _("非法猎捕、杀害")
    TRADE = "trade", _("非法出售、购买、利用、运输、携带、寄递")
    BREEDING = "breeding", _("未经许可/备案人工繁育")
    EATING = "eating", _("食用或为食用非法购买")
    RESCUE_TRADE = "rescue_trade", _("以收容救护为名买卖")
    PLATFORM = "platform", _("为违法交易提供展示、交易、消费服务")


class PartyKind(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("单位")
    ACCOUNT = "account", _("网络账号")
    PHONE = "phone", _("电话号码")
    VEHICLE = "vehicle", _("车辆")
    ADDRESS = "address", _("地址")


class PartyRole(models.TextChoices):
    """A party's place in the chain (打源头、端窝点、摧网络、断链条、追流向)."""

    SUSPECT = "suspect", _("违法嫌疑人")
    SOURCE = "source", _("货源/猎捕者")
    BREEDER = "breeder", _("养殖者")
    TRANSPORTER = "transporter", _("运输者")
    SELLER = "seller", _("销售者")
    BUYER = "buyer", _("购买者")
    SENDER = "sender", _("寄递人")
    RECEIVER = "receiver", _("收件人")
    WITNESS = "witness", _("证人")
    OTHER = "other", _("其他")


class ItemCondition(models.TextChoices):
    ALIVE = "alive", _("活体")
    DEAD = "dead", _("死体")
    PRODUCT = "product", _("制品")


class ItemForm(models.TextChoices):
    """Whole animal, or eggs (valued at a fraction of the whole animal by class)."""

    WHOLE = "whole", _("整体")
    EGG = "egg", _("卵/蛋")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("录音")
    DOCUMENT = "document", _("书证/文书")
    RECORD = "record", _("笔录")
    ELECTRONIC = "electronic", _("电子数据")
    OTHER = "other", _("其他")


class CaseEventKind(models.TextChoices):
    STATUS = "status", _("状态变化")
    INSPECTION = "inspection", _("现场检查")
    INTERVIEW = "interview", _("询问")
    SEIZURE = "seizure", _("扣押")
    EVIDENCE = "evidence", _("取证")
    IDENTIFICATION = "identification", _("物种鉴定")
    ASSESSMENT = "assessment", _("价值评估")
    HANDOVER = "handover", _("移交救护")
    TRANSFER = "transfer", _("移送")
    DECISION = "decision", _("处理决定")
    NOTE = "note", _("备注")


class DecisionKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚决定")
    CONFISCATION = "confiscation", _("没收")
    ORDER = "order", _("责令改正/停止违法行为")
    WARNING = "warning", _("警告/批评教育")
    NO_PENALTY = "no_penalty", _("不予处罚")


class FlowKind(models.TextChoices):
    """A movement of goods or money between two parties of a case."""

    SUPPLY = "supply", _("供货")
    SALE = "sale", _("出售")
    TRANSPORT = "transport", _("运输")
    MAIL = "mail", _("寄递")
    PAYMENT = "payment", _("付款")
    OTHER = "other", _("其他")


class HandoverStatus(models.TextChoices):
    PENDING = "pending_pickup", _("待接收")
    PICKED_UP = "picked_up", _("已接收")
    CANCELLED = "cancelled", _("已取消")


# --- tracing graph -----------------------------------------------------------------------------------------------


class TraceKind(models.TextChoices):
    """Identifiers that link records across cases, listings, inspections and patrols."""

    PHONE = "phone", _("电话号码")
    ACCOUNT = "account", _("网络账号")
    VEHICLE = "vehicle", _("车辆号牌")
    ADDRESS = "address", _("地址")
    ID_NUMBER = "id_number", _("身份证号")
    COMPANY = "company", _("单位（统一社会信用代码）")


# --- rules -------------------------------------------------------------------------------------------------------


class CoefficientKind(models.TextChoices):
    """Multipliers of the value assessment (国家林业局令第46号)."""

    PROTECTION = "protection", _("保护级别系数")
    CAPTIVE_BRED = "captive_bred", _("人工繁育系数")
    EGG = "egg", _("卵/蛋系数")


class ThresholdCondition(models.TextChoices):
    VALUE = "value", _("价值达到")
    BANNED_TOOLS_IN_CLOSURE = "banned_tools_in_closure", _("在禁猎区/禁猎期使用禁用工具、方法")


class PenaltyBasis(models.TextChoices):
    VALUE = "value", _("按涉案野生动物价值")
    GAINS = "gains", _("按违法所得")
    FIXED = "fixed", _("固定金额")
