from django.db import migrations

from jiju.monitoring import defaults


def install(apps, schema_editor):
    defaults.install(
        apps.get_model("monitoring", "Indicator"),
        apps.get_model("monitoring", "ReportForm"),
        apps.get_model("monitoring", "FormItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
