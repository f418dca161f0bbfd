"""`make bench`: seed PostgreSQL once, serve the portal with gunicorn, drive each page, print JSON lines.

With several --scales (default 1,5,20) each runs in its own process on its own database (the
smaller ones quick: fewer requests, 8 users, pages only), and a table of ratio and queries per page
and scale goes to stderr at the end. One scale:
1. create the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kyodo_bench) if
   missing, migrate it, and seed `seed_demo --scale N` unless the database's comment says it
   already holds that scale and seed made by the same demo code (a marker; a different marker means
   the database is dropped and seeded anew), then ANALYZE;
2. serve the portal with gunicorn (2 workers, production settings, DEBUG off, a generated
   SECRET_KEY, plain HTTP on a free loopback port);
3. for each page: count the SQL queries of one request in this process (Django's test client
   against the same database, logged in as the page's role), then drive it from a separate load
   process (bench.load: 8 and then 16 concurrent users, a fixed number of requests);
4. drive the mixed scenario (bench.scenarios.mixed: ~70% public pages, 30% logged in) and read the
   resident memory of each gunicorn worker;
5. time `matching.suggestions.suggest_partners` alone over 50 listings in this process.

stdout gets one JSON object per line ("floor" = /healthz first) and a one-line summary; progress
goes to stderr.
"""

import argparse
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from bench.stats import page_line, skipped_line, summarise

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kyodo_bench"
SEED = 2025
# What seed_demo's output depends on: a change here means the database is seeded anew.
DEMO_SOURCES = [
    "demo/management/commands/seed_demo.py",
    "demo/context.py",
    "demo/organizations.py",
    "demo/listings.py",
    "demo/matching.py",
    "demo/projects.py",
    "demo/factories.py",
    "demo/mfa.py",
]
TARGET_P95_MS = 150
TARGET_SUGGEST_P95_MS = 100
TARGET_QUERIES = 15


def log(message: str):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def emit(line: str):
    print(line, flush=True)


# --- the database ------------------------------------------------------------------------------


def demo_fingerprint(scale: int) -> str:
    digest = hashlib.sha256()
    for name in DEMO_SOURCES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return f"kyodo-bench scale={scale} seed={SEED} demo={digest.hexdigest()[:16]}"


def _admin_connection(database_url: str):
    import psycopg2

    url = urlparse(database_url)
    conn = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    return conn, url.path.lstrip("/")


def _table_count(database_url: str) -> int:
    import psycopg2

    url = urlparse(database_url)
    conn = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname=url.path.lstrip("/"),
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            return cur.fetchone()[0]
    finally:
        conn.close()


def prepare_database(database_url: str, marker: str, force: bool) -> bool:
    """Create the database if missing, re-create it when another scale or demo code seeded it.

    Only a database the bench made (its comment starts with "kyodo-bench") or an empty one is
    ever touched: DATABASE_URL may point at someone's real data. True when it must be seeded.
    """
    conn, name = _admin_connection(database_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cur.fetchone()
            if row is None:
                log(f"creating database {name}")
                cur.execute(f'CREATE DATABASE "{name}"')
                return True
            comment = row[0] or ""
            if not comment.startswith("kyodo-bench"):
                if _table_count(database_url):
                    raise SystemExit(
                        f"bench: database {name} exists and was not made by the bench; "
                        "point DATABASE_URL at another database name (default kyodo_bench)"
                    )
                return True
            if force or comment != marker:
                log(f"database {name} was seeded otherwise ({comment}): dropping it")
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                cur.execute(f'CREATE DATABASE "{name}"')
                return True
            return False
    finally:
        conn.close()


def mark_database(database_url: str, marker: str):
    conn, name = _admin_connection(database_url)
    with conn.cursor() as cur:
        cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    conn.close()


def configure_environment(database_url: str):
    """The environment of this process and of gunicorn: production settings on plain loopback HTTP."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DEMO_APP="1",  # seed_demo
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="False",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        # Persistent connections, as any deployment behind gunicorn would configure.
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # Production refuses a per-process cache; the workers share Redis as a deployment would.
        CACHE_URL=os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        # One address sends every request: the API's per-client limit would answer 429 to the load.
        API_RATE_LIMIT="100000/minute",
    )


def seed(scale: int):
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("seed_demo", scale=scale, seed=SEED, stdout=sys.stderr)
    log(f"seed_demo --scale {scale}: {time.monotonic() - started:.0f}s")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


# --- logins ------------------------------------------------------------------------------------


def session_cookie(email: str) -> str:
    """A session of the demo user, made as a real login makes it (signals included).

    Coordinators must have two-factor login; the bench gives them a TOTP authenticator in its own
    database, so the session is as after a completed two-factor login.
    """
    from importlib import import_module

    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import get_user_model, login
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from accounts.roles import is_coordinator_or_admin

    user = get_user_model().objects.get(email=email)
    if is_coordinator_or_admin(user):
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench-only-not-a-secret"}}
        )
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"


# --- measuring ---------------------------------------------------------------------------------


def count_queries(url: str, cookie: str) -> tuple[int, float]:
    """SQL queries of one request (after one warming request), through Django's test client, and the
    median CPU time of three requests in this process: a figure that the machine's other load does
    not inflate the way it inflates wall-clock latency."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scenarios import Skip

    client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie) if cookie else Client(HTTP_HOST="127.0.0.1")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise Skip(f"HTTP {response.status_code} for {url}")
    # Read now: the next request's request_started signal clears the connection's query log.
    queries = len(captured)
    cpu = []
    for _ in range(3):
        started = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - started) * 1000)
    return queries, round(sorted(cpu)[1], 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, logfile, *, root: Path = ROOT, env: dict | None = None) -> subprocess.Popen:
    """gunicorn (2 workers) serving the checkout at `root` with `env` (this process's), once it answers."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--error-logfile",
        "-",
    ]
    server = subprocess.Popen(  # noqa: S603 (a fixed command line)
        command, cwd=root, env=env or os.environ.copy(), stdout=logfile, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log above")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def drive(url: str, *, requests: int, users: int, cookie: str, max_seconds: int) -> dict:
    command = [sys.executable, "-m", "bench.load", url, "--requests", str(requests), "--users", str(users)]
    command += ["--max-seconds", str(max_seconds)]
    if cookie:
        command += ["--cookie", cookie]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"load client failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


# Requests of the floor measured just before each page: about a second of load on this machine.
FLOOR_REQUESTS = 1000


def adjacent_floor(base: str, args, users: int) -> float:
    """The floor's rps just before a page is driven: its ratio is against this one. A floor measured
    once at the start drifted with the machine (the same run's floor moved between 575 and 948 rps
    from one minute to the next on a shared virtual machine), and the ratios with it."""
    floor = drive(
        f"{base}/healthz", requests=max(args.requests, FLOOR_REQUESTS), users=users, cookie="", max_seconds=10
    )
    return floor["rps"]


# suggest_partners is timed over the same listings this many times: a p95 of 50 calls is one call.
SUGGEST_PASSES = 3


def time_suggest(n: int = 50) -> tuple[dict, int]:
    """p50/p95 of suggest_partners over n listings (SUGGEST_PASSES times), and the most queries one call made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.scenarios import Skip, suggest_listings

    try:
        from matching.suggestions import suggest_partners
    except ImportError as exc:
        raise Skip("matching.suggestions.suggest_partners does not exist") from exc
    listings = suggest_listings(n)
    for listing in listings[:5]:
        suggest_partners(listing, limit=10)  # warm caches and code paths
    latencies, queries = [], 0
    started = time.perf_counter()
    for listing in listings * SUGGEST_PASSES:
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            suggest_partners(listing, limit=10)
            latencies.append((time.perf_counter() - t0) * 1000)
        queries = max(queries, len(captured))
    return summarise(latencies, time.perf_counter() - started), queries


# --- the run -----------------------------------------------------------------------------------


def worker_memory_mb(server: subprocess.Popen) -> dict[str, list[float]]:
    """Memory (MB) of each gunicorn worker (the master's children), from /proc/PID/smaps_rollup:
    `rss` (resident), `private` (resident and the worker's own) and `shared_file` (resident pages of
    files mapped read-only, above all the analyser's 200 MB dictionary: one copy in the page cache
    serves every worker and process on the machine)."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return {}
    fields = {"rss": ("Rss:",), "private": ("Private_Clean:", "Private_Dirty:"), "shared_file": ("Shared_Clean:",)}
    sizes: dict[str, list[float]] = {name: [] for name in fields}
    for pid in children:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        kib = {line.split()[0]: int(line.split()[1]) for line in rollup[1:] if line.split()[0].endswith(":")}
        for name, keys in fields.items():
            sizes[name].append(round(sum(kib.get(key, 0) for key in keys) / 1024, 1))
    return sizes


def drive_mix(base: str, cookies: dict, *, requests: int, users: int, max_seconds: int) -> dict:
    """The mixed scenario (bench.scenarios.mixed) through one load client."""
    from bench.scenarios import mixed

    entries = []
    for weight, page in mixed():
        cookie = ""
        if page.user_email:
            cookie = cookies.get(page.user_email) or session_cookie(page.user_email)
            cookies[page.user_email] = cookie
        entries.append([weight, base + page.url, cookie])
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(entries, fh)
    try:
        command = [sys.executable, "-m", "bench.load", base, "--mix", fh.name, "--requests", str(requests)]
        command += ["--users", str(users), "--max-seconds", str(max_seconds)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    finally:
        os.unlink(fh.name)
    if done.returncode != 0:
        raise RuntimeError(f"load client failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def _int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the portal on PostgreSQL (see bench/run.py).")
    parser.add_argument(
        "--scales",
        "--scale",
        type=_int_list,
        default=[1, 5, 20],
        help="comma-separated; the largest is the full run, the others quick (own databases, suffix _s<N>)",
    )
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page at the largest scale")
    parser.add_argument("--quick-requests", type=int, default=80, help="measured requests per page at smaller scales")
    parser.add_argument(
        "--users", type=_int_list, default=[8, 16], help="concurrent users (comma-separated; smaller scales: the first)"
    )
    parser.add_argument(
        "--max-seconds", type=int, default=40, help="stop a page's load after this long (fewer requests are reported)"
    )
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database even if marked")
    parser.add_argument("--only", nargs="*", help="page names to run (default: all; 'mixed' and 'suggest' too)")
    args = parser.parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        log(f"DATABASE_URL is not PostgreSQL ({database_url}); using {DEFAULT_DATABASE_URL}")
        database_url = DEFAULT_DATABASE_URL
    if len(args.scales) > 1:
        return sweep(args, database_url)
    return run_scale(args, args.scales[0], database_url)


def sweep(args, database_url: str) -> int:
    """Each scale in its own process (its own database and Django set-up), the largest last and in
    full; then a table of ratio and queries per page and scale, and the one-line summary."""
    started = time.monotonic()
    largest = max(args.scales)
    lines: list[dict] = []
    for scale in sorted(args.scales):
        full = scale == largest
        url = database_url if full else f"{database_url.rstrip('/')}_s{scale}"
        command = [sys.executable, "-m", "bench.run", "--scales", str(scale), "--max-seconds", str(args.max_seconds)]
        command += ["--requests", str(args.requests if full else args.quick_requests)]
        command += ["--users", ",".join(map(str, args.users if full else args.users[:1]))]
        if args.reseed:
            command.append("--reseed")
        # Smaller scales: the pages only (the mixed scenario and suggest_partners alone at the largest).
        only = args.only if full else [name for name, _ in _page_names() if not args.only or name in args.only]
        if only:
            command += ["--only", *only]
        log(f"scale {scale} ({'full' if full else 'quick'}) on {urlparse(url).path.lstrip('/')}")
        env = os.environ | {"BENCH_DATABASE_URL": url}
        with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as child:  # noqa: S603
            for raw in child.stdout:
                emit(raw.rstrip("\n"))
                try:
                    lines.append(json.loads(raw))
                except ValueError:
                    continue
        if child.returncode:
            log(f"scale {scale} exited with {child.returncode}")
    print_sweep(lines, sorted(args.scales), args.users)
    by_scale = [line for line in lines if "summary" in line]
    emit(
        json.dumps(
            {
                "summary": f"scales {','.join(map(str, sorted(args.scales)))} in {time.monotonic() - started:.0f}s: "
                + "; ".join(line["summary"] for line in by_scale)
            },
            ensure_ascii=False,
        )
    )
    return 0


def _page_names():
    from bench.scenarios import PAGES

    return PAGES


def print_sweep(lines: list[dict], scales: list[int], users: list[int]):
    """To stderr: per page, ratio to floor and queries at each scale (8 users), then at more users."""
    pages = [line for line in lines if "page" in line and "ratio_to_floor" in line]
    names = list(dict.fromkeys(line["page"] for line in pages if line["page"] != "floor"))
    first = users[0]
    header = ["page"] + [f"s{s} ratio/q" for s in scales] + [f"s{max(scales)} {u}u" for u in users[1:]]
    log(" | ".join(header))
    for name in names:
        cells = [name]
        for scale in scales:
            hit = next(
                (x for x in pages if x["page"] == name and x.get("scale") == scale and x.get("users", first) == first),
                None,
            )
            cells.append(f"{hit['ratio_to_floor']}/{hit['queries']}" if hit else "-")
        for u in users[1:]:
            hit = next(
                (x for x in pages if x["page"] == name and x.get("scale") == max(scales) and x.get("users") == u), None
            )
            cells.append(str(hit["ratio_to_floor"]) if hit else "-")
        log(" | ".join(cells))


def run_scale(args, scale: int, database_url: str) -> int:
    started = time.monotonic()
    marker = demo_fingerprint(scale)
    must_seed = prepare_database(database_url, marker, args.reseed)
    configure_environment(database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated ({time.monotonic() - started:.0f}s)")
    if must_seed:
        seed(scale)
        mark_database(database_url, marker)
    else:
        log(f"database already seeded ({marker})")
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"static files collected ({time.monotonic() - started:.0f}s)")
    # The shared cache may hold rankings and counts of another database of the same ids.
    from django.core.cache import cache

    cache.clear()

    from bench.scenarios import PAGES, Skip

    cookies: dict[str, str] = {}
    results = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tag = {"scale": scale}
    with tempfile.TemporaryFile(mode="w+") as server_log:
        server = start_gunicorn(port, server_log)
        log(f"gunicorn on {base} (2 workers)")
        try:
            for users in args.users:
                floor = drive(
                    f"{base}/healthz", requests=args.requests, users=users, cookie="", max_seconds=args.max_seconds
                )
                emit(page_line("floor", floor, 0, floor["rps"], **tag, users=users))
            pages = [(name, resolve) for name, resolve in PAGES if not args.only or name in args.only]
            for number, (name, resolve) in enumerate(pages, 1):
                log(f"[{number}/{len(pages)}] {name}")
                try:
                    page = resolve()
                    cookie = ""
                    if page.user_email:
                        cookie = cookies.get(page.user_email) or session_cookie(page.user_email)
                        cookies[page.user_email] = cookie
                    queries, cpu_ms = count_queries(page.url, cookie)
                    for users in args.users:
                        floor_rps = adjacent_floor(base, args, users)
                        measured = drive(
                            base + page.url,
                            requests=args.requests,
                            users=users,
                            cookie=cookie,
                            max_seconds=args.max_seconds,
                        )
                        extra = {**tag, "users": users, "cpu_ms": cpu_ms, "floor_rps": floor_rps}
                        if measured["errors"]:
                            extra["errors"] = measured["errors"]
                        if measured["requests"] < args.requests:
                            extra["requests"] = measured["requests"]  # stopped by --max-seconds
                        emit(page_line(name, measured, queries, floor_rps, **extra))
                        if users == args.users[0]:
                            results[name] = (measured, queries)
                except Skip as exc:
                    emit(skipped_line(name, str(exc)))
                except Exception as exc:  # a broken page must not stop the other measurements
                    emit(skipped_line(name, f"error: {type(exc).__name__}: {exc}"[:300]))
            if not args.only or "mixed" in args.only:
                log("mixed scenario (70% public, 30% logged in)")
                try:
                    users = args.users[0]
                    floor_rps = adjacent_floor(base, args, users)
                    mix = drive_mix(base, cookies, requests=args.requests, users=users, max_seconds=args.max_seconds)
                    extra = {**tag, "users": users, "floor_rps": floor_rps}
                    if mix["errors"]:
                        extra["errors"] = mix["errors"]
                    emit(page_line("mixed", mix, None, floor_rps, **extra))
                except Exception as exc:
                    emit(skipped_line("mixed", f"error: {type(exc).__name__}: {exc}"[:300]))
            memory = worker_memory_mb(server)
            emit(json.dumps({f"workers_{name}_mb": sizes for name, sizes in memory.items()} | tag))
        finally:
            server.terminate()
            server.wait(timeout=30)
            server_log.seek(0)
            errors = [line for line in server_log if "Traceback" in line or "ERROR" in line]
            if errors:
                log(f"gunicorn logged {len(errors)} error lines, e.g.: {errors[0].strip()}")

    if not args.only or "suggest" in args.only:
        try:
            suggest, suggest_queries = time_suggest()
        except Skip as exc:
            emit(skipped_line("suggest", str(exc)))
        except Exception as exc:
            emit(skipped_line("suggest", f"error: {type(exc).__name__}: {exc}"[:300]))
        else:
            emit(
                page_line(
                    "suggest", suggest, suggest_queries, None, calls=50 * SUGGEST_PASSES, note="in-process call", **tag
                )
            )
            results["suggest"] = (suggest, suggest_queries)

    emit(json.dumps(summary(results, scale, time.monotonic() - started), ensure_ascii=False))
    return 0


def summary(results: dict, scale: int, elapsed: float) -> dict:
    """One line: how many pages met each target, and which did not."""
    slow = [
        name
        for name, (m, _q) in results.items()
        if m["p95_ms"] >= (TARGET_SUGGEST_P95_MS if name == "suggest" else TARGET_P95_MS)
    ]
    chatty = [name for name, (_m, q) in results.items() if q is not None and q > TARGET_QUERIES]
    return {
        "summary": f"scale {scale}: {len(results)} measured, {len(slow)} over the p95 target, "
        f"{len(chatty)} over {TARGET_QUERIES} queries, in {elapsed:.0f}s",
        "p95_over_target": slow,
        "queries_over_target": chatty,
    }


if __name__ == "__main__":
    sys.exit(main())
