from django.db import migrations

TAGS = [
    ("hitech", "高新技术企业"),
    ("specialized", "专精特新"),
    ("leader", "龙头企业"),
    ("flagship", "镇园之宝"),
    ("foreign", "外资企业"),
]


def load(apps, schema_editor):
    from jiju.registry.reference import load as load_reference

    load_reference(apps.get_model("registry", "Region"), apps.get_model("registry", "Industry"))
    Tag = apps.get_model("registry", "Tag")
    Tag.objects.bulk_create([Tag(code=code, name=name) for code, name in TAGS])


def unload(apps, schema_editor):
    apps.get_model("registry", "Tag").objects.all().delete()
    for name in ("Industry", "Region"):
        model = apps.get_model("registry", name)
        model.objects.update(parent=None)
        model.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
