"""Restore the SpatiaLite R-tree on geo_adminarea.boundary.

Adding the check constraints in 0002 makes SQLite rebuild the table, and Django's SpatiaLite schema editor leaves the
rebuilt geometry column with its spatial index disabled (no triggers, an empty R-tree). area_for_point() relies on the
index, so it is created again here. PostGIS keeps its GiST index through such changes: nothing to do there.
"""

from django.db import migrations

TABLE = "geo_adminarea"
COLUMN = "boundary"


def restore_spatial_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT spatial_index_enabled FROM geometry_columns WHERE Lower(f_table_name) = %s AND Lower(f_geometry_column) = %s",
            [TABLE, COLUMN],
        )
        row = cursor.fetchone()
        if row is None or row[0] == 1:
            return
        cursor.execute(f'DROP TABLE IF EXISTS "idx_{TABLE}_{COLUMN}"')
        cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [TABLE, COLUMN])


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_boundary_import")]

    operations = [migrations.RunPython(restore_spatial_index, migrations.RunPython.noop)]
