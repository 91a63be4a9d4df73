from rest_framework.response import Response

from wildlife.core.api.viewsets import ScopedModelViewSet
from wildlife.core.tests.sample import services
from wildlife.core.tests.sample.api.serializers import SampleRecordSerializer
from wildlife.core.tests.sample.models import SampleRecord


class SampleRecordViewSet(ScopedModelViewSet):
    model = SampleRecord
    serializer_class = SampleRecordSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    geojson_geometry_field = "location"

    def perform_create(self, serializer):
        serializer.instance = services.sample_create(actor=self.request.user, **serializer.validated_data)

    def create(self, request, *args, **kwargs):
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.get_serializer(serializer.instance).data, status=201)
