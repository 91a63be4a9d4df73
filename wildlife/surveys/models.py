"""Resource surveys and dynamic monitoring: projects → sites → sampling events → observations, aquatic series,
camera-trap media, and the resource archive per species and area (Law Art.11).

Every record stores its town (`area`, from its location) and district; see ScopedModel. Observations are the large
table (millions of rows): lean columns, the indexes the lists and maps filter on, denormalised `is_sensitive` so
that generalising class-I locations needs no join.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.surveys.choices import (
    LifeStage,
    ObservationMethod,
    ObservationType,
    ProjectKind,
    ProjectStatus,
    Sex,
    SiteKind,
)


def project_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """A project is seen by users whose area contains it and by users of the towns below it (a town officer works
    on the district's projects in their own town); only users whose area contains the project may change it."""
    own = scope.paths(action)
    if not own:
        return None
    q = Q()
    for prefix in own:
        q |= Q(area__path__startswith=prefix)
    if action == "view":
        # ancestors of each assigned area: "370306/370306100/" → "370306/"
        for prefix in own:
            parts = prefix.strip("/").split("/")
            for depth in range(1, len(parts)):
                q |= Q(area__path="/".join(parts[:depth]) + "/")
    return q


def area_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """Records of the areas under the user's assignments, as a filter on the `area_id` column itself.

    The same rows as the generic `area__path__startswith` filter, without the join: a user whose area holds the
    whole tree (a district officer of a one-district platform) gets no filter at all, anyone else a short list of
    area ids. On a million observations the join made every count and page scan the table; this lets the indexes
    that start with `area`, `species`, `project` or `observed_at` answer.
    """
    paths = scope.paths(action)
    if not paths:
        return None
    from wildlife.geo.models import AdminArea

    ids: set[int] = set()
    for prefix in paths:
        if not AdminArea.objects.exclude(path__startswith=prefix).exists():
            return Q()
        ids.update(AdminArea.objects.filter(path__startswith=prefix).values_list("pk", flat=True))
    return Q(area_id__in=sorted(ids))


class GridFloor(Func):
    """floor(x) as a 64-bit integer, written so that a generated column and its index accept it on both databases."""

    function = "FLOOR"
    output_field = models.BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(FLOOR(%(expressions)s) AS INTEGER)", **extra_context)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(FLOOR(%(expressions)s) AS BIGINT)", **extra_context)


GRID_DEGREES = 0.01  # the grid of map cells; the same grid sensitive.py snaps class-I locations to
GRID_X_OFFSET = 20000
GRID_Y_OFFSET = 10000
GRID_ROW = 100000


def grid_cell_expression() -> Any:
    """(floor(lon / 0.01) + 20000) × 100000 + (floor(lat / 0.01) + 10000): one integer per 0.01° cell."""
    lon = Func(F("location"), function="ST_X", output_field=models.FloatField())
    lat = Func(F("location"), function="ST_Y", output_field=models.FloatField())
    cell_x = GridFloor(lon / Value(GRID_DEGREES))
    cell_y = GridFloor(lat / Value(GRID_DEGREES))
    return Cast((cell_x + Value(GRID_X_OFFSET)) * Value(GRID_ROW) + cell_y + Value(GRID_Y_OFFSET), models.BigIntegerField())


def grid_cell_center(cell: int) -> tuple[float, float]:
    """Centre (lon, lat) of a grid cell: the same point sensitive.snap() gives for any location inside it."""
    cell_x = cell // GRID_ROW - GRID_X_OFFSET
    cell_y = cell % GRID_ROW - GRID_Y_OFFSET
    return round((cell_x + 0.5) * GRID_DEGREES, 6), round((cell_y + 0.5) * GRID_DEGREES, 6)


class GridCellField(models.GeneratedField):
    """The observation's 0.01° map cell, computed by the database from `location` (writers never set it).

    Virtual on SQLite (adding it needs no table rebuild, and an index on it is stored), stored on PostgreSQL (which
    has only stored generated columns). Map layers and distribution grids group by it through covering indexes
    instead of parsing a million geometries.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("expression", None)
        kwargs.pop("output_field", None)
        kwargs.pop("db_persist", None)
        kwargs.setdefault("null", True)  # lets SQLite add the column with ALTER TABLE instead of rebuilding the table
        super().__init__(expression=grid_cell_expression(), output_field=models.BigIntegerField(), db_persist=True, **kwargs)

    @property
    def db_persist(self) -> bool:
        return connection.vendor != "sqlite"

    @db_persist.setter
    def db_persist(self, value: bool) -> None:
        pass  # decided by the database in use (see the class docstring)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key in ("expression", "output_field", "db_persist"):
            kwargs.pop(key, None)
        return name, path, args, kwargs


class SurveyProject(ScopedModel):
    """A survey or monitoring project led by a department (自然资源局 terrestrial, 农业农村局 aquatic)."""

    code = models.SlugField(_("项目编号"), max_length=60, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=ProjectKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    lead_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="survey_projects"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("项目说明"), blank=True)
    methodology = models.TextField(_("调查方法"), blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("调查人员"), blank=True, related_name="survey_projects")

    scope_filter = staticmethod(project_scope)

    class Meta:
        verbose_name = _("调查项目")
        verbose_name_plural = _("调查项目")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")), name="surveys_project_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:project_detail", args=[self.pk])


class SurveySite(ScopedModel):
    """A transect line, plot, point-count station, camera-trap location or water sampling point."""

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="sites")
    code = models.CharField(_("位点编号"), max_length=80)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=SiteKind.choices)
    geometry = models.GeometryField(_("位置/形状"), srid=4326)
    length_m = models.FloatField(_("样线长度(米)"), null=True, blank=True)
    area_m2 = models.FloatField(_("样方面积(平方米)"), null=True, blank=True)
    strip_half_width_m = models.FloatField(
        _("样带单侧宽度(米)"), null=True, blank=True, help_text=_("样带法密度估计 D = n / (2wL) 中的 w")
    )
    habitat = models.CharField(_("生境类型"), max_length=100, blank=True)
    elevation_m = models.FloatField(_("海拔(米)"), null=True, blank=True)
    water_body = models.CharField(_("水体"), max_length=100, blank=True, help_text=_("如 孝妇河、范阳河、文昌湖"))
    camera_model = models.CharField(_("相机型号"), max_length=100, blank=True)
    camera_height_m = models.FloatField(_("相机高度(米)"), null=True, blank=True)
    deployment_start = models.DateTimeField(_("布设开始"), null=True, blank=True)
    deployment_end = models.DateTimeField(_("布设结束"), null=True, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=120, blank=True, help_text=_("如 Camtrap DP deploymentID"))
    remarks = models.TextField(_("备注"), blank=True)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("调查位点")
        verbose_name_plural = _("调查位点")
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="surveys_site_project_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:site_detail", args=[self.pk])


class SamplingEvent(ScopedModel):
    """One visit of a site: date, team and effort (km walked, hours, trap-nights, net hauls)."""

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="events")
    site = models.ForeignKey(SurveySite, verbose_name=_("位点"), on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    event_id = models.CharField(_("调查事件编号"), max_length=120)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    team = models.CharField(_("调查组"), max_length=200, blank=True)
    observers = models.CharField(_("调查人员"), max_length=300, blank=True)
    method = models.CharField(_("调查方法"), max_length=20, choices=ObservationMethod.choices, blank=True)
    distance_km = models.FloatField(_("行走距离(公里)"), null=True, blank=True)
    duration_hours = models.FloatField(_("用时(小时)"), null=True, blank=True)
    trap_nights = models.FloatField(_("相机工作日"), null=True, blank=True)
    net_hauls = models.PositiveIntegerField(_("网次"), null=True, blank=True)
    weather = models.CharField(_("天气"), max_length=100, blank=True)
    nothing_seen = models.BooleanField(_("未发现目标物种"), default=False, help_text=_("无记录也是记录：本次调查未见任何个体"))
    remarks = models.TextField(_("备注"), blank=True)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("调查事件")
        verbose_name_plural = _("调查事件")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["project", "event_id"], name="surveys_event_project_id_unique")]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.started_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:event_detail", args=[self.pk])


class CameraMedia(ScopedModel):
    """A camera-trap image or video (Camtrap DP media)."""

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="media")
    site = models.ForeignKey(SurveySite, verbose_name=_("相机位点"), on_delete=models.PROTECT, related_name="media")
    media_id = models.CharField(_("媒体编号"), max_length=120)
    captured_at = models.DateTimeField(_("拍摄时间"))
    file = models.FileField(_("文件"), upload_to="surveys/media/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    file_path = models.CharField(_("原路径"), max_length=500, blank=True)
    media_type = models.CharField(_("媒体类型"), max_length=60, blank=True)
    capture_method = models.CharField(_("触发方式"), max_length=40, blank=True)
    sequence_id = models.CharField(_("序列编号"), max_length=120, blank=True)
    favorite = models.BooleanField(_("精选"), default=False)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("相机媒体")
        verbose_name_plural = _("相机媒体")
        ordering = ["-captured_at"]
        constraints = [models.UniqueConstraint(fields=["project", "media_id"], name="surveys_media_project_id_unique")]

    def __str__(self) -> str:
        return self.file_name or self.media_id


class Observation(ScopedModel):
    """One observation: species (or an unresolved verbatim name), count (0 = looked and saw none), place, time.

    `occurrence_id` is unique per project so that a repeated import adds nothing. `is_sensitive` is true for
    national class-I species: their precise location is shown only with `surveys.view_precise_location`.
    """

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="observations")
    site = models.ForeignKey(SurveySite, verbose_name=_("位点"), on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    event = models.ForeignKey(SamplingEvent, verbose_name=_("调查事件"), on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    media = models.ForeignKey(CameraMedia, verbose_name=_("相机媒体"), on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    occurrence_id = models.CharField(_("记录编号"), max_length=120, default=uuid.uuid4)
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    verbatim_name = models.CharField(_("原始名称"), max_length=200, blank=True)
    observation_type = models.CharField(_("记录类型"), max_length=12, choices=ObservationType.choices, default=ObservationType.ANIMAL)
    count = models.PositiveIntegerField(_("数量"), default=1)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    life_stage = models.CharField(_("年龄阶段"), max_length=10, choices=LifeStage.choices, blank=True)
    behaviour = models.CharField(_("行为"), max_length=100, blank=True)
    observed_at = models.DateTimeField(_("观测时间"))
    location = models.PointField(_("位置"), srid=4326)
    uncertainty_m = models.FloatField(_("位置误差(米)"), null=True, blank=True)
    method = models.CharField(_("方法"), max_length=20, choices=ObservationMethod.choices, blank=True)
    observer = models.CharField(_("观测人"), max_length=100, blank=True)
    distance_m = models.FloatField(_("垂直距离(米)"), null=True, blank=True, help_text=_("样线法：个体到样线的垂直距离"))
    biomass_g = models.FloatField(_("重量(克)"), null=True, blank=True)
    is_sensitive = models.BooleanField(_("敏感物种"), default=False, db_index=True)
    remarks = models.TextField(_("备注"), blank=True)
    import_job = models.UUIDField(_("导入任务"), null=True, blank=True, db_index=True)
    grid_cell = GridCellField(verbose_name=_("网格单元"))

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["-observed_at"]
        permissions = [("view_precise_location", _("可查看敏感物种的精确位置"))]
        constraints = [models.UniqueConstraint(fields=["project", "occurrence_id"], name="surveys_observation_project_occ_unique")]
        # each filter the lists and maps use, then time, then the map cell and count: the list pages read the
        # first 25 rows in index order and the map layers group cells without touching the table
        indexes = [
            models.Index(fields=["project", "observed_at", "grid_cell", "count"], name="surveys_obs_project_time"),
            models.Index(fields=["species", "observed_at", "grid_cell", "count"], name="surveys_obs_species_time"),
            models.Index(fields=["area", "observed_at", "grid_cell", "count"], name="surveys_obs_area_time"),
            models.Index(fields=["observed_at", "grid_cell", "count"], name="surveys_obs_time"),
            models.Index(fields=["grid_cell", "count"], name="surveys_obs_cell"),
        ]

    def __str__(self) -> str:
        name = self.species.name_zh if self.species is not None else self.verbatim_name or _("未识别物种")
        return f"{name} × {self.count}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:observation_detail", args=[self.pk])


class ObservationPhoto(ScopedModel):
    """A photo of an observation. The stored copy has its EXIF location removed; the time and GPS read from EXIF at
    upload are kept as fields (and the GPS only as the observation's location if the user accepts it)."""

    observation = models.ForeignKey(Observation, verbose_name=_("调查记录"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="surveys/photos/%Y/%m/", max_length=300)
    exif_taken_at = models.DateTimeField(_("拍摄时间(EXIF)"), null=True, blank=True)
    exif_location = models.PointField(_("拍摄位置(EXIF)"), srid=4326, null=True, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("调查照片")
        verbose_name_plural = _("调查照片")

    def __str__(self) -> str:
        return self.caption or str(self.image)


class MigrationCount(ScopedModel):
    """Fish migration (洄游) counts at a river point on a date: upstream and downstream."""

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="migration_counts")
    site = models.ForeignKey(SurveySite, verbose_name=_("观测断面"), on_delete=models.PROTECT, related_name="migration_counts")
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    upstream = models.PositiveIntegerField(_("上溯数量"), default=0)
    downstream = models.PositiveIntegerField(_("下行数量"), default=0)
    water_level_m = models.FloatField(_("水位(米)"), null=True, blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("洄游观测")
        verbose_name_plural = _("洄游观测")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["site", "species", "date"], name="surveys_migration_site_species_date_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:migration_detail", args=[self.pk])


class WaterQualityReading(ScopedModel):
    """Habitat environment monitoring: one water-quality measurement at a sampling point."""

    project = models.ForeignKey(SurveyProject, verbose_name=_("调查项目"), on_delete=models.CASCADE, related_name="water_readings")
    site = models.ForeignKey(SurveySite, verbose_name=_("采样点"), on_delete=models.PROTECT, related_name="water_readings")
    measured_at = models.DateTimeField(_("测定时间"))
    temperature_c = models.FloatField(_("水温(℃)"), null=True, blank=True)
    ph = models.FloatField(_("pH"), null=True, blank=True)
    dissolved_oxygen_mg_l = models.FloatField(_("溶解氧(mg/L)"), null=True, blank=True)
    turbidity_ntu = models.FloatField(_("浊度(NTU)"), null=True, blank=True)
    ammonia_n_mg_l = models.FloatField(_("氨氮(mg/L)"), null=True, blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    scope_filter = staticmethod(area_scope)

    class Meta:
        verbose_name = _("水质监测")
        verbose_name_plural = _("水质监测")
        ordering = ["-measured_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ph__isnull=True) | (Q(ph__gte=0) & Q(ph__lte=14)), name="surveys_water_ph_range"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.measured_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:water_detail", args=[self.pk])


class SpeciesArchive(ScopedModel):
    """Resource archive of a species in an area (Law Art.11): distribution, population, habitat, threats."""

    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, related_name="+")
    population_estimate = models.CharField(_("种群数量估计"), max_length=200, blank=True)
    population_structure = models.TextField(_("种群结构"), blank=True)
    distribution_notes = models.TextField(_("分布状况"), blank=True)
    habitat_notes = models.TextField(_("栖息地状况"), blank=True)
    threats = models.TextField(_("主要威胁"), blank=True)
    measures = models.TextField(_("保护措施"), blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)

    # a district-wide archive is read by the towns too, like a district project
    scope_filter = staticmethod(project_scope)

    class Meta:
        verbose_name = _("资源档案")
        verbose_name_plural = _("资源档案")
        ordering = ["species"]
        constraints = [models.UniqueConstraint(fields=["species", "area"], name="surveys_archive_species_area_unique")]

    def __str__(self) -> str:
        return f"{self.species} · {self.area}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:archive_detail", args=[self.pk])
