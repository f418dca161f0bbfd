"""Exchange events move from `matching` to their own app. The tables stay where they are for now
(db_table names matching's); 0002 renames them. Only the migration state moves here."""

import core.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("matching", "0006_capped_free_text"),
        ("organizations", "0008_capped_free_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ExchangeEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("briefing", "説明会"),
                                    ("exchange", "意見交換会"),
                                    ("presentation", "分野別発表会＆交流会"),
                                ],
                                max_length=20,
                                verbose_name="種類",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="名称")),
                        ("theme", models.CharField(blank=True, max_length=200, verbose_name="テーマ")),
                        ("description", core.models.CappedTextField(blank=True, max_length=4000, verbose_name="内容")),
                        ("starts_at", models.DateTimeField(verbose_name="開始日時")),
                        ("ends_at", models.DateTimeField(blank=True, null=True, verbose_name="終了日時")),
                        ("place", models.CharField(max_length=200, verbose_name="会場")),
                        ("capacity", models.PositiveIntegerField(blank=True, null=True, verbose_name="定員")),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "下書き"), ("published", "公開"), ("cancelled", "中止")],
                                default="draft",
                                max_length=20,
                                verbose_name="状態",
                            ),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="公開日時"),
                        ),
                        (
                            "cancelled_at",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="中止日時"),
                        ),
                        (
                            "cancel_reason",
                            core.models.CappedTextField(blank=True, max_length=2000, verbose_name="中止の理由"),
                        ),
                        (
                            "activity_fields",
                            models.ManyToManyField(
                                blank=True, to="organizations.activityfield", verbose_name="活動分野"
                            ),
                        ),
                        (
                            "cancelled_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "交流の場",
                        "verbose_name_plural": "交流の場",
                        "db_table": "matching_exchangeevent",
                        "ordering": ["-starts_at"],
                    },
                ),
                migrations.CreateModel(
                    name="EventRegistration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                        (
                            "role",
                            models.CharField(
                                choices=[("attend", "参加"), ("present", "発表")],
                                default="attend",
                                max_length=10,
                                verbose_name="参加の形",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="発表内容・備考")),
                        (
                            "party",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="event_registrations",
                                to="organizations.party",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="registrations",
                                to="events.exchangeevent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "交流の場への参加申込",
                        "verbose_name_plural": "交流の場への参加申込",
                        "db_table": "matching_eventregistration",
                        "constraints": [
                            models.UniqueConstraint(fields=("event", "party"), name="unique_event_registration")
                        ],
                    },
                ),
            ],
        ),
    ]
