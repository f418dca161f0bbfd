"""Readiness, the 503 page while the database is away, request ids, and the private metrics."""

import pytest
from django.db import OperationalError
from django.test import Client

from core.models import JobRun
from core.observability import request_id_var
from core.tasks import worker_heartbeat
from tests import factories as f

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)


def test_ready_when_database_migrations_and_cache_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "cache": "ok", "worker": "not used"}


def test_not_ready_until_a_worker_has_run_the_heartbeat(client, settings):
    settings.TASKS = DB_QUEUE
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["worker"] == "not seen"
    worker_heartbeat.call()
    assert client.get("/readyz").status_code == 200
    assert JobRun.objects.filter(job="worker_heartbeat").count() == 1


def test_not_ready_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("django.core.cache.cache.set", broken)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["cache"] == "unreachable"


def test_not_ready_when_the_database_is_unreachable(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_a_page_answers_503_in_japanese_while_the_database_is_unreachable(database_down):
    client = Client(raise_request_exception=False)
    response = client.get("/listings/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "ただいま一時的に利用できません" in response.content.decode()
    english = client.get("/listings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Temporarily unavailable" in english


def test_any_other_error_is_still_a_500(monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", bug)
    response = Client(raise_request_exception=False).get("/listings/")
    assert response.status_code == 500 and "ただいま一時的に" not in response.content.decode()


def test_every_response_carries_a_request_id_and_keeps_the_proxys(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abc123")["X-Request-ID"] == "nginx-abc123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_a_task_queued_in_a_request_carries_its_id_to_the_worker(settings):
    from django_tasks.signals import task_started
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_QUEUE
    token = request_id_var.set("req-42")
    try:
        result = worker_heartbeat.enqueue()
    finally:
        request_id_var.reset(token)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.args_kwargs["request_id"] == "req-42"
    task_started.send(sender=type(result.backend), task_result=row.task_result)
    assert request_id_var.get() == "req-42"
    request_id_var.set("")


def test_metrics_are_hidden_without_the_token(client, settings):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_count_requests_queries_and_the_task_queue(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.TASKS = DB_QUEUE
    f.ListingFactory()
    client.get("/listings/")
    worker_heartbeat.enqueue()
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'kyodo_http_request_duration_seconds_count{method="GET",route="listings/"}' in text
    assert 'kyodo_http_responses_total{status="200"}' in text
    assert "kyodo_db_queries_per_request_count" in text
    assert "kyodo_task_queue_depth 1.0" in text
