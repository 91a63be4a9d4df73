from rest_framework.routers import SimpleRouter

from wildlife.patrols.api import views

router = SimpleRouter()
router.register("enforcement/patrols", views.PatrolViewSet, basename="patrol")
router.register("enforcement/inspections", views.InspectionViewSet, basename="inspection")
router.register("enforcement/trainings", views.TrainingViewSet, basename="training")
router.register("enforcement/inspection-targets", views.TargetViewSet, basename="inspection-target")
router.register("enforcement/officers", views.OfficerViewSet, basename="officer")
router.register("enforcement/equipment", views.EquipmentViewSet, basename="equipment")
urlpatterns = router.urls
