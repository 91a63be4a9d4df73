"""Rule rows: law versions, penalty articles, value coefficients, transfer thresholds, base values, time limits."""

from django.db import migrations


def forwards(apps, schema_editor):
    from wildlife.enforcement.reference import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_tipoffs_cases_tracing_rules")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
