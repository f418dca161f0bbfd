"""A group's data requests, from core (core 0006 renamed the table core_datarequest; no data moves)."""

import core.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def take_content_type(apps, schema_editor):
    """Content type (and so permissions and admin log entries) follow the model from core."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="privacy", model="datarequest").exists():
        ContentType.objects.filter(app_label="core", model="datarequest").update(app_label="privacy")


def take_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="privacy", model="datarequest").update(app_label="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organizations", "0008_capped_free_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_security_log_and_data_requests_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DataRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='作成日時')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新日時')),
                        ('kind', models.CharField(choices=[('correction', '訂正'), ('deletion', '削除（利用停止）')], max_length=20, verbose_name='種類')),
                        ('body', core.models.CappedTextField(max_length=4000, verbose_name='内容')),
                        ('status', models.CharField(choices=[('open', '受付'), ('done', '対応済み'), ('rejected', '対応しない')], default='open', max_length=20, verbose_name='状態')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='対応日時')),
                        ('resolution', core.models.CappedTextField(blank=True, max_length=2000, verbose_name='対応内容')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='data_requests', to='organizations.organization', verbose_name='団体')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申出者')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='対応者')),
                    ],
                    options={
                        'verbose_name': '個人情報の訂正・削除の申出',
                        'verbose_name_plural': '個人情報の訂正・削除の申出',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ]
        ),
        migrations.RunPython(take_content_type, take_content_type_back),
    ]
