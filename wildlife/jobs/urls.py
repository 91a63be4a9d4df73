from django.urls import path

from wildlife.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.my_jobs, name="my_jobs"),
]
