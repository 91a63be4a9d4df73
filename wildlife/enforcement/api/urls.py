from rest_framework.routers import SimpleRouter

from wildlife.enforcement.api import views

router = SimpleRouter()
router.register("enforcement/tipoffs", views.TipoffViewSet, basename="enforcement-tipoff")
router.register("enforcement/cases", views.CaseViewSet, basename="enforcement-case")
router.register("enforcement/operations", views.OperationViewSet, basename="enforcement-operation")
router.register("enforcement/handovers", views.HandoverViewSet, basename="enforcement-handover")
urlpatterns = router.urls
