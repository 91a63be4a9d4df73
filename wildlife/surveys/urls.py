"""Survey pages. Import/export pages live in urls_io.py (kept separate so the two halves of the module can grow
independently) and are included here."""

from django.urls import URLPattern, URLResolver, include, path

from wildlife.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("wildlife.surveys.urls_io")),
    # projects
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/close/", views.ProjectCloseView.as_view(), name="project_close"),
    path("projects/<int:pk>/sites.geojson", views.project_sites_geojson, name="project_sites_geojson"),
    # sites
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites.geojson", views.site_layer, name="site_layer"),
    path("sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    # sampling events
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    # observations
    path("observations/", views.ObservationListView.as_view(), name="observation_list"),
    path("observations.geojson", views.observation_layer, name="observation_layer"),
    path("observations/new/", views.ObservationCreateView.as_view(), name="observation_create"),
    path("observations/form-choices/", views.ObservationFormChoicesView.as_view(), name="observation_form_choices"),
    path("observations/<int:pk>/", views.ObservationDetailView.as_view(), name="observation_detail"),
    path("observations/<int:pk>/point.geojson", views.observation_point_geojson, name="observation_point_geojson"),
    path("observations/<int:pk>/edit/", views.ObservationUpdateView.as_view(), name="observation_update"),
    path("observations/<int:pk>/delete/", views.ObservationDeleteView.as_view(), name="observation_delete"),
    path("observations/<int:pk>/photos/", views.PhotoAddView.as_view(), name="photo_add"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path("photos/exif/", views.PhotoExifView.as_view(), name="photo_exif"),
    path("species/autocomplete/", views.SpeciesAutocompleteView.as_view(), name="species_autocomplete"),
    # aquatic
    path("fish/", views.FishListView.as_view(), name="fish_list"),
    path("fish/new/", views.FishCatchView.as_view(), name="fish_create"),
    path("migration/", views.MigrationListView.as_view(), name="migration_list"),
    path("migration/new/", views.MigrationCreateView.as_view(), name="migration_create"),
    path("migration/<int:pk>/", views.MigrationDetailView.as_view(), name="migration_detail"),
    path("migration/<int:pk>/edit/", views.MigrationUpdateView.as_view(), name="migration_update"),
    path("water/", views.WaterListView.as_view(), name="water_list"),
    path("water/new/", views.WaterCreateView.as_view(), name="water_create"),
    path("water/<int:pk>/", views.WaterDetailView.as_view(), name="water_detail"),
    path("water/<int:pk>/edit/", views.WaterUpdateView.as_view(), name="water_update"),
    # analysis
    path("analysis/distribution/", views.DistributionView.as_view(), name="distribution"),
    path("analysis/density/", views.DensityView.as_view(), name="density"),
    path("analysis/trends/", views.TrendsView.as_view(), name="trends"),
    # resource archives
    path("archives/", views.ArchiveListView.as_view(), name="archive_list"),
    path("archives/new/", views.ArchiveCreateView.as_view(), name="archive_create"),
    path("archives/<int:pk>/", views.ArchiveDetailView.as_view(), name="archive_detail"),
    path("archives/<int:pk>/edit/", views.ArchiveUpdateView.as_view(), name="archive_update"),
    path("archives/<int:pk>/print/", views.ArchivePrintView.as_view(), name="archive_print"),
]
