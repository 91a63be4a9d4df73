"""Fixed vocabularies of disease surveillance. Thresholds and deadlines are data (models), never these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")


class PeriodKind(models.TextChoices):
    DAILY = "daily", _("日报（重点时期）")
    WEEKLY = "weekly", _("周报")


class KeyPeriodKind(models.TextChoices):
    SPRING = "spring", _("春季迁徙")
    AUTUMN = "autumn", _("秋季迁徙")
    OTHER = "other", _("其他重点时期")


class AnimalGroup(models.TextChoices):
    BIRD = "bird", _("野生鸟类")
    MAMMAL = "mammal", _("野生兽类")
    OTHER = "other", _("其他")


class ComplianceStatus(models.TextChoices):
    ON_TIME = "on_time", _("按时上报")
    LATE = "late", _("逾期补报")
    MISSING = "missing", _("未上报")
    PENDING = "pending", _("未到截止时间")
    NOT_EXPECTED = "not_expected", _("无需上报")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("截止前提醒")
    OVERDUE = "overdue", _("逾期催报")


class EventSource(models.TextChoices):
    REPORT = "report", _("监测报告")
    PATROL = "patrol", _("巡护巡查")
    RESCUE = "rescue", _("救护收容")
    CITIZEN = "citizen", _("群众报告")
    OTHER = "other", _("其他")


class EventStatus(models.TextChoices):
    REPORTED = "reported", _("已快报")
    RESPONDING = "responding", _("现场处置中")
    SUSPECTED = "suspected", _("疑似疫情")
    CONFIRMED = "confirmed", _("确诊疫情")
    CLOSED = "closed", _("已结案")


OPEN_EVENT_STATUSES = (EventStatus.REPORTED, EventStatus.RESPONDING, EventStatus.SUSPECTED, EventStatus.CONFIRMED)


class Grade(models.TextChoices):
    """突发陆生野生动物疫情分级: Ⅰ 特别重大 … Ⅳ 一般; blank = below every threshold (未分级)."""

    I = "I", _("Ⅰ级（特别重大）")  # noqa: E741 - the official grade name
    II = "II", _("Ⅱ级（重大）")
    III = "III", _("Ⅲ级（较大）")
    IV = "IV", _("Ⅳ级（一般）")


GRADE_RANK = {"I": 4, "II": 3, "III": 2, "IV": 1, "": 0}
GRADE_COLOURS = {"I": "#d7191c", "II": "#fd8d3c", "III": "#e6c200", "IV": "#2c7bb6", "": "#7f7f7f"}
GRADE_COLOUR_NAMES = {"I": _("红色"), "II": _("橙色"), "III": _("黄色"), "IV": _("蓝色"), "": _("未分级")}


class GradingRuleKind(models.TextChoices):
    DEAD_AT_SITE = "dead_at_site", _("同一地点、一定时间内同一类群死亡数")
    POPULATION_SHARE = "population_share", _("死亡数占当地种群比例")


class TaxonRank(models.TextChoices):
    ORDER = "order", _("目")
    FAMILY = "family", _("科")


class ChainTrigger(models.TextChoices):
    EVENT_REPORTED = "event_reported", _("发现异常（快报）")
    SUSPECTED = "suspected", _("疑似染疫")
    MAJOR_SUSPECTED = "major_suspected", _("疑似重大疫情（Ⅱ级及以上）")
    CONFIRMED = "confirmed", _("确诊")


class SampleKind(models.TextChoices):
    SWAB_OROPHARYNGEAL = "swab_op", _("咽喉拭子")
    SWAB_CLOACAL = "swab_cl", _("泄殖腔/肛拭子")
    TISSUE = "tissue", _("组织")
    BLOOD = "blood", _("血液/血清")
    CARCASS = "carcass", _("整体尸体")
    FECES = "feces", _("粪便")
    ENVIRONMENT = "environment", _("环境样品")


class BiosafetyLevel(models.TextChoices):
    BSL1 = "bsl1", _("BSL-1")
    BSL2 = "bsl2", _("BSL-2")
    BSL3 = "bsl3", _("BSL-3")


class LabOutcome(models.TextChoices):
    NEGATIVE = "negative", _("阴性")
    SUSPECT = "suspect", _("疑似阳性")
    CONFIRMED = "confirmed", _("确诊阳性")


class AlertKind(models.TextChoices):
    CLUSTER = "cluster", _("聚集性死亡")
    GRADE = "grade", _("事件定级")
    OVERDUE_STEP = "overdue_step", _("报告时限逾期")


class AlertLevel(models.TextChoices):
    """预警颜色: 红 / 橙 / 黄 / 蓝 (Ⅰ–Ⅳ)."""

    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    BLUE = "blue", _("蓝色")


ALERT_LEVEL_RANK = {"red": 4, "orange": 3, "yellow": 2, "blue": 1}
GRADE_TO_ALERT_LEVEL = {"I": AlertLevel.RED, "II": AlertLevel.ORANGE, "III": AlertLevel.YELLOW, "IV": AlertLevel.BLUE}


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    CLOSED = "closed", _("已关闭")


class SupplyKind(models.TextChoices):
    REQUESTED = "requested", _("申领")
    USED = "used", _("实际使用")


class TimelineKind(models.TextChoices):
    REPORTED = "reported", _("快报")
    UPDATED = "updated", _("更新")
    GRADED = "graded", _("定级")
    MEASURE = "measure", _("现场处置")
    STEP_DONE = "step_done", _("报告完成")
    SAMPLE = "sample", _("采样")
    CUSTODY = "custody", _("样品交接")
    LAB_RESULT = "lab_result", _("检测结果")
    SUSPECTED = "suspected", _("疑似染疫")
    CONFIRMED = "confirmed", _("确诊")
    LETTER = "letter", _("通报函")
    RESPONSE = "response", _("应急响应")
    ALERT = "alert", _("预警")
    CLOSED = "closed", _("结案")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageStatus(models.TextChoices):
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("无联系方式")
