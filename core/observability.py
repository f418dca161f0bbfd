"""What an instance says about itself: request ids in every log line and task, and metrics.

RequestMiddleware gives each request an id (nginx's X-Request-ID, or a new one), returns it in the
response, logs one structured line per request, and counts latency, status and SQL queries for
/metrics. A task queued during the request carries the id to the worker, whose log lines then show
it too. Metrics use prometheus-client directly: in gunicorn's worker processes it aggregates through
PROMETHEUS_MULTIPROC_DIR, and the task queue's depth and age are read from the database when
scraped.
"""

import contextvars
import logging
import os
import re
import time
import uuid

from django.conf import settings
from django.db import connection
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("portal.request")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

REQUEST_SECONDS = Histogram(
    "kyodo_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5, 10),
)
RESPONSES = Counter("kyodo_http_responses_total", "Responses by status code.", ["status"])
QUERIES = Histogram(
    "kyodo_db_queries_per_request", "SQL queries per request.", buckets=(0, 1, 2, 5, 10, 15, 20, 30, 50, 100)
)


class LogContextFilter(logging.Filter):
    """Adds the current request id and this instance's name to every log record."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.instance = settings.INSTANCE_NAME
        return True


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = match.route if match else "unmatched"
            REQUEST_SECONDS.labels(request.method, route).observe(elapsed)
            RESPONSES.labels(str(response.status_code)).inc()
            QUERIES.observe(queries)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={"status": response.status_code, "duration_ms": round(elapsed * 1000, 1), "queries": queries},
            )
            return response
        finally:
            request_id_var.reset(token)


# --- request ids carried into tasks -----------------------------------------------------------


def stamp_task_with_request_id(sender, instance, **kwargs):
    """pre_save of a queued task: keep the request id beside its arguments (django-tasks ignores it)."""
    request_id = request_id_var.get()
    if instance._state.adding and request_id and isinstance(instance.args_kwargs, dict):
        instance.args_kwargs["request_id"] = request_id


def task_started(sender, task_result, **kwargs):
    db_result = getattr(task_result, "db_result", None)
    request_id = (getattr(db_result, "args_kwargs", None) or {}).get("request_id", "")
    request_id_var.set(request_id or f"task-{task_result.id}")


def task_finished(sender, task_result, **kwargs):
    request_id_var.set("")


def connect_task_signals():
    from django.db.models.signals import pre_save
    from django_tasks.signals import task_finished as finished
    from django_tasks.signals import task_started as started
    from django_tasks_db.models import DBTaskResult

    pre_save.connect(stamp_task_with_request_id, sender=DBTaskResult, dispatch_uid="core.request_id")
    started.connect(task_started, dispatch_uid="core.request_id")
    finished.connect(task_finished, dispatch_uid="core.request_id")


# --- metrics ----------------------------------------------------------------------------------


class TaskQueueCollector:
    """Depth and age of the oldest waiting task, read from the database queue when scraped."""

    def collect(self):
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
        age = (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
        yield GaugeMetricFamily("kyodo_task_queue_depth", "Tasks waiting for a worker.", value=waiting["n"])
        yield GaugeMetricFamily("kyodo_task_queue_oldest_age_seconds", "Age of the oldest waiting task.", value=age)


QUEUE_REGISTRY = CollectorRegistry()
QUEUE_REGISTRY.register(TaskQueueCollector())


def metrics_text() -> bytes:
    """Prometheus text of this instance (every gunicorn worker of it) and of the task queue."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    text = generate_latest(registry)
    from core.tasks import uses_database_queue

    if uses_database_queue():
        text += generate_latest(QUEUE_REGISTRY)
    return text
