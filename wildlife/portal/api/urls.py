from django.urls import path

from wildlife.portal.api import views

urlpatterns = [
    path("public/reports/", views.PublicReportCreateView.as_view(), name="public-report-create"),
    path("public/reports/<str:receipt_no>/", views.PublicReportStatusView.as_view(), name="public-report-status"),
]
