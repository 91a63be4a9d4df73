from django.urls import path

from wildlife.core.tests.sample import views

app_name = "sample"
urlpatterns = [
    path("", views.SampleListView.as_view(), name="list"),
    path("new/", views.SampleCreateView.as_view(), name="create"),
    path("<int:pk>/", views.SampleDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SampleUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.SampleDeleteView.as_view(), name="delete"),
]
