"""gunicorn settings for deploy/systemd/kyodo-web.service and the cluster test."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 20
# Longer than nginx's upstream keepalive, so nginx never reuses a connection gunicorn just closed.
keepalive = 75
accesslog = None  # the portal logs each request itself (JSON, with its request id)


def child_exit(server, worker):
    """A gunicorn worker ended: drop its live gauges from the shared metrics files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
