from rest_framework.routers import SimpleRouter

from wildlife.geo.api.views import AdminAreaViewSet

router = SimpleRouter()
router.register("areas", AdminAreaViewSet, basename="area")
urlpatterns = router.urls
