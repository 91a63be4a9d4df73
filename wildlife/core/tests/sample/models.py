from django.contrib.gis.db import models
from django.urls import reverse

from wildlife.core.models import ScopedModel


class SampleRecord(ScopedModel):
    """A record with a name and an optional place."""

    name = models.CharField("名称", max_length=100)
    location = models.PointField("位置", srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = "示例记录"
        verbose_name_plural = "示例记录"
        app_label = "sample"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sample:detail", args=[self.pk])
