from rest_framework.routers import SimpleRouter

from wildlife.species.api.views import SpeciesViewSet

router = SimpleRouter()
router.register("species", SpeciesViewSet, basename="species")
urlpatterns = router.urls
