from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    TERRESTRIAL = "terrestrial", _("陆生野生动物调查")
    AQUATIC = "aquatic", _("水生野生动物调查")
    HABITAT = "habitat", _("栖息地环境监测")
    CAMERA_TRAP = "camera_trap", _("红外相机监测")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("进行中")
    COMPLETED = "completed", _("已完成")
    ARCHIVED = "archived", _("已归档")


class SiteKind(models.TextChoices):
    TRANSECT = "transect", _("样线")
    PLOT = "plot", _("样方")
    POINT = "point", _("样点")
    CAMERA = "camera", _("红外相机位点")
    WATER_SAMPLING = "water_sampling", _("水体采样点")


class ObservationMethod(models.TextChoices):
    TRANSECT = "transect", _("样线法")
    POINT_COUNT = "point_count", _("样点法")
    PLOT = "plot", _("样方法")
    CAMERA_TRAP = "camera_trap", _("红外相机")
    NET = "net", _("网捕/渔获")
    ELECTROFISHING = "electrofishing", _("电捕调查（科研许可）")
    ACOUSTIC = "acoustic", _("声音记录")
    SIGN = "sign", _("痕迹（粪便、足迹、巢穴）")
    INCIDENTAL = "incidental", _("随机记录")


class ObservationType(models.TextChoices):
    """Camtrap DP observationType; human-observation records are `animal` (or `blank` for absence)."""

    ANIMAL = "animal", _("动物")
    HUMAN = "human", _("人")
    VEHICLE = "vehicle", _("车辆")
    BLANK = "blank", _("空拍")
    UNKNOWN = "unknown", _("未知")
    UNCLASSIFIED = "unclassified", _("未分类")


class Sex(models.TextChoices):
    UNKNOWN = "", _("未知")
    FEMALE = "female", _("雌")
    MALE = "male", _("雄")
    MIXED = "mixed", _("混合")


class LifeStage(models.TextChoices):
    UNKNOWN = "", _("未知")
    ADULT = "adult", _("成体")
    SUBADULT = "subadult", _("亚成体")
    JUVENILE = "juvenile", _("幼体")
    EGG = "egg", _("卵")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel")
    DWCA = "dwca", _("Darwin Core Archive")
    CAMTRAP_DP = "camtrap_dp", _("Camtrap DP")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部正确才导入")
    VALID_ROWS = "valid_rows", _("只导入正确的行")
