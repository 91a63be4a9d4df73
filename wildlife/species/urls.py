from django.urls import path

from wildlife.species import views

app_name = "species"
urlpatterns = [
    path("", views.SpeciesListView.as_view(), name="list"),
    path("new/", views.SpeciesCreateView.as_view(), name="create"),
    path("<int:pk>/", views.SpeciesDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SpeciesUpdateView.as_view(), name="update"),
    path("<int:pk>/aliases/", views.AliasAddView.as_view(), name="alias_add"),
    path("<int:pk>/aliases/<int:alias_id>/delete/", views.AliasRemoveView.as_view(), name="alias_remove"),
    path("<int:pk>/statuses/", views.StatusSetView.as_view(), name="status_set"),
    path("<int:pk>/statuses/<int:status_id>/delete/", views.StatusRemoveView.as_view(), name="status_remove"),
    path("versions/", views.ListVersionListView.as_view(), name="versions"),
    path("versions/<int:pk>/", views.ListVersionDetailView.as_view(), name="version_detail"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
]
