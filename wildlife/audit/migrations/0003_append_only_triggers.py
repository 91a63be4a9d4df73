"""Append-only audit log at the database level: triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from wildlife.audit.guard import install_guard

    install_guard(schema_editor.connection)


def remove(apps, schema_editor):
    from wildlife.audit.guard import remove_guard

    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_user_protect"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
