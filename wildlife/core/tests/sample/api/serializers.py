from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.core.tests.sample.models import SampleRecord


class SampleRecordSerializer(serializers.ModelSerializer):
    location = GeometryField(required=False, allow_null=True)

    class Meta:
        model = SampleRecord
        fields = ["id", "name", "area", "location", "version"]
        read_only_fields = ["area", "version"]
