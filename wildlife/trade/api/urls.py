"""The listings API lives under enforcement/ (api.md: `enforcement/listings/`)."""

from rest_framework.routers import SimpleRouter

from wildlife.trade.api.views import ListingViewSet, TakedownLetterViewSet, TradeTermViewSet

router = SimpleRouter()
router.register("enforcement/listings", ListingViewSet, basename="listing")
router.register("enforcement/listing-terms", TradeTermViewSet, basename="listing-term")
router.register("enforcement/takedown-letters", TakedownLetterViewSet, basename="takedown-letter")
urlpatterns = router.urls
