from django.urls import path

from wildlife.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.my_jobs, name="my_jobs"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:job_id>/log/", views.job_log, name="log"),
    path("<uuid:job_id>/download/<str:which>/", views.job_download, name="download"),
]
