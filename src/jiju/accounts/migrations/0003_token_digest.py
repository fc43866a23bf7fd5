"""Tokens stored as their SHA-256 (with the first characters, to tell them apart); profiles change-logged."""

import hashlib

from django.db import migrations, models


def hash_keys(apps, schema_editor):
    """Existing tokens keep working: each plain key becomes its digest and is then dropped."""
    token_model = apps.get_model("accounts", "ApiToken")
    for token in token_model.objects.all():
        token.digest = hashlib.sha256(token.key.encode()).hexdigest()
        token.prefix = token.key[:8]
        token.save(update_fields=["digest", "prefix"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_department"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="digest",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="令牌摘要"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(default="", editable=False, max_length=8, verbose_name="令牌开头"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="key"),
        migrations.AlterField(
            model_name="apitoken",
            name="digest",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="令牌摘要"),
        ),
    ]
