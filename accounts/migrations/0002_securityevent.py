"""The security log, from core (core 0006 renamed its table core_securityevent; no data moves)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def take_content_type(apps, schema_editor):
    """Content type (and so permissions and admin log entries) follow the model from core."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="securityevent").exists():
        ContentType.objects.filter(app_label="core", model="securityevent").update(app_label="accounts")


def take_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model="securityevent").update(app_label="core")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_security_log_and_data_requests_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SecurityEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('login', 'ログイン成功'), ('login_failed', 'ログイン失敗'), ('mfa_failed', '2段階認証コードの誤り'), ('lockout', 'ロックアウト'), ('logout', 'ログアウト'), ('permission_denied', '権限のないアクセス'), ('personal_data_view', '個人情報の閲覧'), ('session_expired', 'セッションの期限切れ'), ('user_deactivated', '利用者の停止'), ('user_anonymized', '利用者の匿名化'), ('data_export', '団体データの書き出し')], db_index=True, max_length=30, verbose_name='種類')),
                        ('username', models.CharField(blank=True, max_length=254, verbose_name='入力されたログインID')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IPアドレス')),
                        ('path', models.CharField(blank=True, max_length=500, verbose_name='パス')),
                        ('object_label', models.CharField(blank=True, max_length=200, verbose_name='対象')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='詳細')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='日時（UTC）')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='利用者')),
                    ],
                    options={
                        'verbose_name': 'セキュリティログ',
                        'verbose_name_plural': 'セキュリティログ',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ]
        ),
        migrations.RunPython(take_content_type, take_content_type_back),
    ]
