# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The non-browser suite runs on this many processes (pytest-xdist); browser tests run in one.
TEST_WORKERS ?= 2

.PHONY: run test test-fast test-browser screenshots lint format serve worker messages check-deploy clean-db

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

## run: install, migrate the SQLite database, load demo data once, print the demo logins, serve on :8000
# Links in e-mails and .ics files point at this server (unless SITE_URL is set in the environment).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins
	@echo "Background worker (e-mail, reminders) starts with the server; stop both with Ctrl-C."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 2 >/dev/null 2>&1 & \
	  $(PY) manage.py run_scheduler >/dev/null 2>&1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite on SQLite (browser tests run when /usr/bin/chromium exists)
test: $(VENV)/.installed-dev
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: Chromium found, they run."; \
	  else echo "Browser tests: SKIPPED (no /usr/bin/chromium; apt-get install chromium chromium-driver)."; fi
	$(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

## test-browser: only the Playwright tests (journeys, axe-core accessibility, phone layout)
test-browser: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q -m browser tests/browser $(PYTEST_ARGS)

## api-fuzz: schemathesis over every operation of /api/v1/openapi.json against a live demo server
.PHONY: api-fuzz
api-fuzz: $(VENV)/.installed-dev
	$(PY) scripts/api_fuzz.py $(FUZZ_ARGS)

## screenshots: PNGs of the main pages with demo data, desktop 1280 px and phone 375 px, into screenshots/
screenshots: $(VENV)/.installed-dev
	@[ -x /usr/bin/chromium ] || { echo "screenshots need /usr/bin/chromium (apt-get install chromium)"; exit 1; }
	$(PY) scripts/screenshots.py --out screenshots

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## serve: production settings with gunicorn and whitenoise, against DATABASE_URL and REDIS_URL (shared cache)
serve: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn config.wsgi \
	  --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

## cluster-test: own PostgreSQL + Redis, 2 gunicorn, 2 workers, 2 schedulers behind nginx (deploy/);
## checks shared state and faults, one line per check and a summary (needs nginx, redis-server, PostgreSQL 15)
.PHONY: cluster-test
cluster-test: $(VENV)/.installed
	$(PY) scripts/cluster_test.py

## bench: seed PostgreSQL (DATABASE_URL, default kyodo_bench) at --scale 20 once, load-test the main
## pages with gunicorn, print one JSON line per page (see README "Performance"); BENCH_ARGS="--scale 1"
.PHONY: bench
bench: $(VENV)/.installed-dev
	@DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kyodo_bench} $(PY) -m bench.run $(BENCH_ARGS)

worker: $(VENV)/.installed
	$(PY) manage.py db_worker

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean-db:
	rm -f db.sqlite3

## backup: pg_dump -Fc of DATABASE_URL plus a tar of MEDIA_ROOT into backups/<UTC time>/
## restore: make restore FILE=backups/<UTC time> — into an EMPTY database (DATABASE_URL) and MEDIA_ROOT
.PHONY: backup restore
backup: $(VENV)/.installed
	$(PY) manage.py backup

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<UTC time>"; exit 2; }
	$(PY) manage.py restore "$(FILE)"
