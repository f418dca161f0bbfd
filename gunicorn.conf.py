"""gunicorn reads this file from the working directory (make serve, make bench, a service started in
the checkout): keys and tokens in URLs never reach the access log."""

logger_class = "config.access_log.RedactingLogger"
