from rest_framework.routers import SimpleRouter

from wildlife.core.tests.sample.api.views import SampleRecordViewSet

router = SimpleRouter()
router.register("sample/records", SampleRecordViewSet, basename="sample-record")
urlpatterns = router.urls
