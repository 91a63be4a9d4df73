from django.urls import path

from wildlife.disease import views

app_name = "disease"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("map.geojson", views.MapLayerView.as_view(), name="map_layer"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    # stations
    path("stations/", views.StationListView.as_view(), name="station_list"),
    path("stations/new/", views.StationCreateView.as_view(), name="station_create"),
    path("stations/import/", views.StationRegisterImportView.as_view(), name="station_excel_import"),
    path("stations/<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("stations/<int:pk>/edit/", views.StationUpdateView.as_view(), name="station_update"),
    path("stations/<int:pk>/routes/", views.StationRouteAddView.as_view(), name="station_route_add"),
    path("stations/<int:pk>/points/", views.StationPointAddView.as_view(), name="station_point_add"),
    path("stations/<int:pk>/import/", views.StationImportView.as_view(), name="station_import"),
    path("stations/<int:pk>/equipment/", views.StationEquipmentView.as_view(), name="station_equipment"),
    path("stations/<int:pk>/<str:kind>/<int:feature_id>/delete/", views.StationFeatureRemoveView.as_view(), name="station_feature_remove"),
    path("stations/<int:pk>/report/", views.ReportCreateView.as_view(), name="report_create"),
    path("stations/<int:pk>/zero-report/", views.ReportZeroView.as_view(), name="report_zero"),
    # reports
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportStartView.as_view(), name="report_start"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportUpdateView.as_view(), name="report_update"),
    # events
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path("events/<int:pk>/measures/", views.EventMeasuresView.as_view(), name="event_measures"),
    path("events/<int:pk>/steps/<int:step_id>/done/", views.EventStepCompleteView.as_view(), name="event_step_complete"),
    path("events/<int:pk>/suspect/", views.EventSuspectView.as_view(), name="event_suspect"),
    path("events/<int:pk>/close/", views.EventCloseView.as_view(), name="event_close"),
    path("events/<int:pk>/photos/", views.EventPhotoAddView.as_view(), name="event_photo_add"),
    path("events/<int:pk>/samples/", views.EventSampleAddView.as_view(), name="event_sample_add"),
    path("events/<int:pk>/samples/<int:sample_id>/custody/", views.EventCustodyAddView.as_view(), name="event_custody_add"),
    path("events/<int:pk>/results/", views.EventLabResultAddView.as_view(), name="event_result_add"),
    path("events/<int:pk>/supplies/", views.EventSupplyAddView.as_view(), name="event_supply_add"),
    path("events/<int:pk>/dispatches/", views.EventDispatchAddView.as_view(), name="event_dispatch_add"),
    path("events/<int:pk>/<str:kind>/<int:file_id>/", views.EventFileView.as_view(), name="event_file"),
    # alerts
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/", views.AlertDetailView.as_view(), name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.AlertAcknowledgeView.as_view(), name="alert_acknowledge"),
    path("alerts/<int:pk>/follow-up/", views.AlertFollowUpView.as_view(), name="alert_follow_up"),
    # notifications
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification_read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
    # rules
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("rules/<str:kind>/new/", views.RuleFormView.as_view(), name="rule_create"),
    path("rules/<str:kind>/<int:pk>/", views.RuleFormView.as_view(), name="rule_update"),
]
