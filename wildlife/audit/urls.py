from django.urls import path

from wildlife.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list_view, name="event_list"),
    path("events/<int:seq>/", views.event_detail_view, name="event_detail"),
    path("verify/", views.verify_view, name="verify"),
]
