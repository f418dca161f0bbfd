"""`make cluster-test`: the portal as a small cluster, checked through nginx, with faults injected.

Starts its own PostgreSQL (initdb in a temporary folder) and Redis on free loopback ports, migrates
and seeds scale 1, then runs two gunicorn instances, two db_workers and two run_schedulers with
production settings behind nginx configured from deploy/nginx. It checks shared sessions, lockout
and TOTP replay across instances, the listing cache, uploads, exactly-once notices and periodic
jobs, then injects faults under a bounded load from a separate process (kill an app instance, stop
Redis, stop PostgreSQL, kill the scheduler that leads). One line per check with its figures, then a
summary; every process it started is stopped by its own pid, also on failure or Ctrl-C.

Ports: CLUSTER_PORTS (default any free port), e.g. CLUSTER_PORTS=8700-8799; CLUSTER_PG_PORTS and
CLUSTER_REDIS_PORTS likewise. Loopback only.
"""

import argparse
import base64
import collections
import email
import email.policy
import hashlib
import hmac
import html.parser
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "kyodo-demo-2025"
TOTP_SECRET = "JBSWY3DPEHPK3PXPKYODOMATCHING234"  # seed_demo's demo coordinators
SCHEDULER_INTERVAL = 5
T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {msg}", flush=True)


# --- processes ---------------------------------------------------------------------------------


class Processes:
    """Every process this script starts, stopped by its own pid (process group) at the end."""

    def __init__(self):
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name, args, env=None, logfile=None, **kw):
        out = open(logfile, "ab") if logfile else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT, **kw
        )
        self.procs[name] = proc
        return proc

    def kill(self, name, sig=signal.SIGKILL, wait=10):
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop_all(self):
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM, wait=5)


def free_port(spec: str | None, taken: set[int]) -> int:
    candidates = range(int(spec.split("-")[0]), int(spec.split("-")[1]) + 1) if spec else [0] * 50
    for port in candidates:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = s.getsockname()[1]
        if port not in taken:
            taken.add(port)
            return port
    raise RuntimeError(f"no free port in {spec}")


def wait_for(predicate, timeout, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: S110 (not up yet)
            pass
        time.sleep(interval)
    return False


# --- HTTP --------------------------------------------------------------------------------------


class FormParser(html.parser.HTMLParser):
    """The fields of every <form> on a page, as the browser would submit them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file", "button"):
                self.forms[-1]["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None


class Client:
    """A browser session against one base port: cookies kept by hand (the portal's are Secure)."""

    def __init__(self, port, forwarded_for=None):
        self.port, self.cookies, self.forwarded_for = port, {}, forwarded_for

    def request(self, method, path, body=None, headers=None, port=None):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        h = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            h["X-Forwarded-For"] = self.forwarded_for
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return resp.status, dict(resp.getheaders()), data

    def get(self, path, port=None):
        return self.request("GET", path, port=port)

    def form(self, path, port=None, index=-1, match=None):
        status, _, body = self.get(path, port)
        parser = FormParser()
        parser.feed(body.decode("utf-8", "replace"))
        forms = [f for f in parser.forms if match is None or match(f)]
        return status, forms[index]["fields"] if forms else []

    def post(self, path, fields, port=None, files=None):
        headers = {"Referer": f"http://127.0.0.1{path}", "Origin": "http://127.0.0.1"}
        if files:
            boundary = secrets.token_hex(16)
            parts = []
            for name, value in fields:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content, ctype) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers=headers, port=port)

    def login(self, email, password=PASSWORD, port=None):
        _, fields = self.form("/accounts/login/", port, match=lambda f: any(k == "login" for k, _ in f["fields"]))
        token = dict(fields).get("csrfmiddlewaretoken", "")
        return self.post(
            "/accounts/login/", [("csrfmiddlewaretoken", token), ("login", email), ("password", password)], port
        )

    def csrf(self):
        return self.cookies.get("csrftoken", "")


def totp(secret=TOTP_SECRET, at=None):
    key = base64.b32decode(secret)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# --- the load (a separate process) -------------------------------------------------------------


LOAD_PATHS = ["/", "/listings/", "/groups/", "/listings/?q=%E5%AD%90%E8%82%B2%E3%81%A6"]


def run_load(port: int, seconds: float, concurrency: int, max_requests: int, pause: float) -> None:
    """Bounded GET load on the loopback; prints one JSON list of (epoch seconds, status) at the end."""
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def user(n):
        i = n
        while time.monotonic() < deadline:
            with lock:
                if len(results) >= max_requests:
                    return
            path = LOAD_PATHS[i % len(LOAD_PATHS)]
            i += 1
            t = time.time()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                status = conn.getresponse().status
                conn.close()
            except Exception:
                status = 0
            with lock:
                results.append((round(t, 2), status))
            time.sleep(pause)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print(json.dumps(results))


class Load:
    """Starts the load process; `.result()` waits for it and returns [(epoch seconds, status), ...]."""

    def __init__(self, procs, port, seconds, concurrency=4, max_requests=4000, pause=0.05):
        self.out = tempfile.NamedTemporaryFile(prefix="kyodo-load-", suffix=".json", delete=False)  # noqa: SIM115
        self.name = f"load-{time.monotonic()}"
        self.started = time.time()
        args = [PY, __file__, "--load", str(port), str(seconds), str(concurrency), str(max_requests), str(pause)]
        self.proc = subprocess.Popen(args, stdout=self.out, stderr=subprocess.DEVNULL, start_new_session=True)
        procs.procs[self.name] = self.proc
        self.procs = procs

    def result(self):
        self.proc.wait(600)
        self.procs.procs.pop(self.name, None)
        data = json.loads(Path(self.out.name).read_text() or "[]")
        os.unlink(self.out.name)
        return data


# --- the cluster -------------------------------------------------------------------------------


class Cluster:
    def __init__(self, tmp: Path, procs: Processes):
        self.tmp, self.procs = tmp, procs
        taken: set[int] = set()
        ports = os.environ.get("CLUSTER_PORTS")
        self.pg_port = free_port(os.environ.get("CLUSTER_PG_PORTS"), taken)
        self.redis_port = free_port(os.environ.get("CLUSTER_REDIS_PORTS"), taken)
        self.web_ports = [free_port(ports, taken), free_port(ports, taken)]
        self.nginx_port = free_port(ports, taken)
        self.pgdata = tmp / "pg"
        self.media = tmp / "media"
        self.mail = tmp / "mail"
        self.logs = tmp / "logs"
        for d in (self.media, self.mail, self.logs):
            d.mkdir(parents=True)
        self.metrics_token = secrets.token_urlsafe(24)
        self.env = {
            **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME", "TZ")},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DEMO_APP": "1",  # seed_demo, and the demo logins the checks use
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/kyodo",
            "CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "BEHIND_PROXY": "true",
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "SCHEDULER_DAILY_HOUR": "0",
            "METRICS_TOKEN": self.metrics_token,
            "SITE_URL": "http://127.0.0.1",
            "REQUEST_LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "2",
        }

    # PostgreSQL and Redis --------------------------------------------------------------------

    def _as_postgres(self, args):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def pg_init(self):
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
            shutil.chown(self.pgdata, "postgres")
        subprocess.run(
            self._as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def pg_start(self):
        opts = f"-p {self.pg_port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        subprocess.run(
            self._as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.pgdata / "log"),
                    "-o",
                    opts,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def pg_stop(self, mode="fast"):
        subprocess.run(
            self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def psql(self, sql):
        out = subprocess.run(
            [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d", "kyodo"]
            + ["-At", "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def redis_start(self):
        self.procs.start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.tmp)],
            logfile=self.logs / "redis.log",
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.redis_port), 1).close() or True, 10)

    # the portal ------------------------------------------------------------------------------

    def manage(self, *args, capture=False):
        out = subprocess.run([PY, "manage.py", *args], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{out.stderr[-2000:]}")
        return out.stdout if capture else None

    def web_start(self, i):
        env = {**self.env, "INSTANCE_NAME": f"web-{i}", "PROMETHEUS_MULTIPROC_DIR": str(self.tmp / f"prom-{i}")}
        shutil.rmtree(env["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        os.makedirs(env["PROMETHEUS_MULTIPROC_DIR"])
        self.procs.start(
            f"web-{i}",
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--config", "config/gunicorn.py"]
            + ["--bind", f"127.0.0.1:{self.web_ports[i]}"],
            env=env,
            logfile=self.logs / f"web-{i}.log",
        )

    def web_ready(self, i):
        return Client(self.web_ports[i]).get("/healthz")[0] == 200

    def worker_start(self, i):
        env = {**self.env, "INSTANCE_NAME": f"worker-{i}"}
        self.procs.start(
            f"worker-{i}", [PY, "manage.py", "db_worker", "--interval", "1"], env, self.logs / f"worker-{i}.log"
        )

    def scheduler_start(self, i):
        env = {**self.env, "INSTANCE_NAME": f"sched-{i}"}
        self.procs.start(
            f"sched-{i}",
            [PY, "manage.py", "run_scheduler", "--interval", str(SCHEDULER_INTERVAL)],
            env,
            self.logs / f"sched-{i}.log",
        )

    def nginx_start(self):
        """nginx with the upstream block of deploy/nginx/kyodo.conf (ports replaced) and its proxy rules."""
        site = (ROOT / "deploy/nginx/kyodo.conf").read_text()
        upstream = re.search(r"upstream kyodo_app \{.*?\n\}", site, re.S).group(0)
        servers = iter(self.web_ports)
        upstream = re.sub(r"server \S+:\d+", lambda m: f"server 127.0.0.1:{next(servers)}", upstream)
        for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.tmp / f"nginx-{d}").mkdir(exist_ok=True)
        user = "user root root;" if os.geteuid() == 0 else ""
        conf = f"""{user}
worker_processes 1;
daemon off;
pid {self.tmp}/nginx.pid;
error_log {self.logs}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {self.logs}/nginx-access.log;
    client_body_temp_path {self.tmp}/nginx-client_body;
    proxy_temp_path {self.tmp}/nginx-proxy;
    fastcgi_temp_path {self.tmp}/nginx-fastcgi;
    uwsgi_temp_path {self.tmp}/nginx-uwsgi;
    scgi_temp_path {self.tmp}/nginx-scgi;
    {upstream}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        include {ROOT}/deploy/nginx/kyodo-proxy.conf;
    }}
}}
"""
        path = self.tmp / "nginx.conf"
        path.write_text(conf)
        self.procs.start("nginx", ["nginx", "-c", str(path), "-p", str(self.tmp)], logfile=self.logs / "nginx.log")
        return wait_for(lambda: Client(self.nginx_port).get("/healthz")[0] == 200, 15)

    def shell(self, code):
        return self.manage("shell", "-c", code, capture=True)


# --- checks ------------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.rows = []

    def check(self, name, ok, figures):
        word = "PASS" if ok else "FAIL"
        self.rows.append(word)
        print(f"{word:7} {name}: {figures}", flush=True)

    def not_run(self, name, why):
        self.rows.append("NOT RUN")
        print(f"NOT RUN {name}: {why}", flush=True)

    def summary(self, seconds):
        passed, failed, not_run = (self.rows.count(w) for w in ("PASS", "FAIL", "NOT RUN"))
        print(
            f"cluster-test: {passed} passed, {failed} failed, {not_run} not run in {seconds:.0f}s",
            flush=True,
        )
        return failed == 0


def failures(results, allowed=(200,)):
    return [r for r in results if r[1] not in allowed]


def statuses(results):
    """'200×310 503×12 0×1' (0 = no answer)."""
    counts = collections.Counter(r[1] for r in results)
    return " ".join(f"{code}×{n}" for code, n in sorted(counts.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) at the end")
    parser.add_argument("--load", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load:
        port, seconds, concurrency, max_requests, pause = args.load
        run_load(int(port), float(seconds), int(concurrency), int(max_requests), float(pause))
        return 0

    procs = Processes()
    tmp = Path(tempfile.mkdtemp(prefix="kyodo-cluster-"))
    cluster = Cluster(tmp, procs)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    report = Report()
    try:
        ok = run(cluster, report)
    except KeyboardInterrupt:
        print("cluster-test: interrupted", flush=True)
        ok = False
    except Exception as exc:  # a step that could not run is a failure, said plainly
        print(f"FAIL    cluster-test stopped: {exc}", flush=True)
        report.summary(time.monotonic() - T0)
        ok = False
    finally:
        procs.stop_all()
        cluster.pg_stop("immediate")
        if args.keep or os.environ.get("CLUSTER_KEEP"):
            print(f"logs kept in {tmp}/logs")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


def run(cluster: Cluster, report: Report) -> bool:
    c = cluster
    log(f"PostgreSQL on {c.pg_port}, Redis on {c.redis_port}, web on {c.web_ports}, nginx on {c.nginx_port}")
    c.pg_init()
    c.pg_start()
    subprocess.run(
        [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(c.pg_port), "-U", "postgres", "kyodo"], check=True
    )
    c.redis_start()
    started = time.monotonic()
    c.manage("migrate", "--noinput", "-v0")
    migrated = time.monotonic()
    c.manage("collectstatic", "--noinput", "-v0")
    log(f"migrated in {migrated - started:.0f}s, collectstatic in {time.monotonic() - migrated:.0f}s; seeding scale 1")
    started = time.monotonic()
    c.manage("seed_demo", "--scale", "1")
    seed_seconds = time.monotonic() - started
    log(f"seeded scale 1 in {seed_seconds:.0f}s")
    fixture = json.loads(c.shell(FIXTURE_CODE).strip().splitlines()[-1])

    for i in (0, 1):
        c.web_start(i)
    for i in (0, 1):
        c.worker_start(i)
        c.scheduler_start(i)
    check_site_config(c, report)
    up = wait_for(lambda: c.web_ready(0) and c.web_ready(1), 60) and c.nginx_start()
    report.check("cluster up", up, f"2 gunicorn, 2 workers, 2 schedulers, nginx; seed scale 1 took {seed_seconds:.0f}s")
    if not up:
        return report.summary(time.monotonic() - T0)

    ready = [wait_for(lambda i=i: Client(c.web_ports[i]).get("/readyz")[0] == 200, 60) for i in (0, 1)]
    states = [Client(p).get("/readyz")[2].decode() for p in c.web_ports]
    report.check("readyz on both instances", all(ready), f"{states[0]} / {states[1]}")

    check_sessions(c, report)
    check_lockout(c, report)
    check_totp_replay_and_listing_cache(c, report, fixture)
    check_upload(c, report, fixture)
    check_notices(c, report)
    check_periodic_jobs(c, report)
    check_metrics(c, report)
    check_logs(c, report)
    measure_capacity(c, report)
    fault_kill_instance(c, report)
    fault_redis(c, report)
    fault_postgres(c, report)
    fault_scheduler_leader(c, report)
    return report.summary(time.monotonic() - T0)


FIXTURE_CODE = """
import json
from accounts.models import User
from listings.models import Listing
from listings.workflow import LISTING_REVIEW
npo = User.objects.get(email="npo@example.jp")
editable = next(l for l in Listing.objects.order_by("pk") if LISTING_REVIEW.can(npo, l, "edit"))
pending = Listing.objects.filter(status="pending").order_by("pk").first()
from notifications.models import Notification
for u in User.objects.filter(is_active=True).order_by("pk")[:5]:
    Notification.objects.create(recipient=u, kind="system", title="cluster digest", email_status="digest")
print(json.dumps({"editable": editable.pk, "pending": pending.pk if pending else None,
                  "pending_title": pending.title if pending else ""}))
"""


def check_site_config(c, report):
    """`nginx -t` of deploy/nginx/kyodo.conf as shipped: only paths, addresses and a throwaway certificate change."""
    if not shutil.which("openssl"):
        report.not_run("nginx -t of the site config", "openssl not installed (needed for a test certificate)")
        return
    d = c.tmp / "site-test"
    d.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kyodo.example.jp"]
        + ["-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = (ROOT / "deploy/nginx/kyodo.conf").read_text()
    for old, new in [
        ("/etc/letsencrypt/live/kyodo.example.jp/fullchain.pem", str(d / "cert.pem")),
        ("/etc/letsencrypt/live/kyodo.example.jp/privkey.pem", str(d / "key.pem")),
        ("/etc/nginx/snippets/kyodo-proxy.conf", str(ROOT / "deploy/nginx/kyodo-proxy.conf")),
        ("/var/log/nginx/kyodo.access.log", str(d / "access.log")),
    ]:
        site = site.replace(old, new)
    # nginx -t binds nothing; the addresses only have to parse and not repeat.
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = re.sub(r"listen (80|443)\b", lambda m: f"listen 127.0.0.1:{m.group(1)}", site)
    (d / "nginx.conf").write_text(
        f"pid {d}/nginx.pid; error_log {d}/error.log; events {{}} http {{ access_log {d}/access.log; {site} }}"
    )
    done = subprocess.run(["nginx", "-t", "-c", str(d / "nginx.conf"), "-p", str(d)], capture_output=True, text=True)
    report.check(
        "nginx -t of the site config",
        done.returncode == 0,
        " / ".join(done.stderr.strip().splitlines()[-2:]) or "no output",
    )


def check_sessions(c, report):
    a = Client(c.web_ports[0])
    status, headers, _ = a.login("npo@example.jp")
    on_a = a.get("/mypage/")[0]
    on_b = a.get("/mypage/", port=c.web_ports[1])[0]
    through = a.get("/mypage/", port=c.nginx_port)[0]
    anon = Client(c.web_ports[1]).get("/mypage/")[0]
    report.check(
        "login on one instance is valid on the other",
        status == 302 and on_a == on_b == through == 200 and anon == 302,
        f"login {status} on web-0; /mypage/ web-0 {on_a}, web-1 {on_b}, nginx {through}; anonymous {anon}",
    )


def check_lockout(c, report):
    """10 failures spread over both instances lock the account on both (django-axes in the database)."""
    clients = [Client(p, forwarded_for="203.0.113.77") for p in c.web_ports]
    statuses = [clients[n % 2].login("jichikai@example.jp", "wrong-password")[0] for n in range(10)]
    after = [cl.login("jichikai@example.jp")[0] for cl in clients]
    report.check(
        "lockout counts failures across instances",
        all(s == 200 for s in statuses[:9]) and all(s in (403, 429) for s in after),
        f"10 failures alternating web-0/web-1 ({statuses.count(200)} form re-shown); "
        f"right password then refused on both: {after}",
    )


def coordinator_login(c, port, code):
    cl = Client(port)
    status, headers, _ = cl.login("coordinator@example.jp")
    location = headers.get("Location", "")
    if "2fa" not in location:
        return cl, status, location
    _, fields = cl.form(location, match=lambda f: any(k == "code" for k, _ in f["fields"]))
    fields = [(k, v) for k, v in fields if k != "code"] + [("code", code)]
    status, headers, _ = cl.post(location, fields)
    return cl, status, headers.get("Location", "")


def check_totp_replay_and_listing_cache(c, report, fixture):
    # the same code in two logins, one per instance, within its 30 seconds
    if time.time() % 30 > 22:
        time.sleep(30 - time.time() % 30 + 0.5)
    code = totp()
    coord, first, where = coordinator_login(c, c.web_ports[0], code)
    _, second, where2 = coordinator_login(c, c.web_ports[1], code)
    first_ok = first == 302 and "2fa" not in where
    replay_refused = not (second == 302 and "2fa" not in where2)
    report.check(
        "TOTP code replay refused across instances",
        first_ok and replay_refused,
        f"code accepted on web-0 ({first} → {where or '-'}); same code on web-1: "
        f"{'refused' if replay_refused else 'ACCEPTED'} ({second})",
    )
    if not first_ok or not fixture["pending"]:
        report.not_run(
            "listing published on one instance shows on the other", "no coordinator session or no pending listing"
        )
        return
    other = Client(c.web_ports[1])
    before = other.get("/listings/")[2].decode()
    count_before = re.search(r"(\d[\d,]*)\s*件", before)
    path = f"/listings/{fixture['pending']}/".replace("/listings/", "/coordination/listings/")
    fields = [
        ("csrfmiddlewaretoken", coord.csrf()),
        ("action", "publish"),
        ("public_interest", "on"),
        ("fits_plans", "on"),
        ("department_agrees", "on"),
        ("note", "cluster test"),
    ]
    published, published_headers, _ = coord.post(path, fields)
    c.publish_request_id = published_headers.get("X-Request-ID", "")
    after = other.get("/listings/")[2].decode()
    count_after = re.search(r"(\d[\d,]*)\s*件", after)
    n_before = int(count_before.group(1).replace(",", "")) if count_before else -1
    n_after = int(count_after.group(1).replace(",", "")) if count_after else -1
    report.check(
        "listing published on one instance shows in the other's cached list at once",
        published == 302 and n_after == n_before + 1 and fixture["pending_title"] in after,
        f"publish on web-0 → {published}; web-1 list count {n_before} → {n_after}, title shown: "
        f"{fixture['pending_title'] in after}",
    )


def check_upload(c, report, fixture):
    a = Client(c.web_ports[0])
    a.login("npo@example.jp")
    path = f"/listings/{fixture['editable']}/edit/"
    _, fields = a.form(path, match=lambda f: any(k == "title" for k, _ in f["fields"]))
    marker = secrets.token_hex(8).encode()
    pdf = b"%PDF-1.4\n% cluster test " + marker + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    status, headers, _ = a.post(path, fields, files={"attachment": ("cluster.pdf", pdf, "application/pdf")})
    page = a.get(f"/listings/{fixture['editable']}/", port=c.web_ports[1])[2].decode()
    links = re.findall(rf"/listings/{fixture['editable']}/files/(\d+)/", page)
    got = None
    if links:
        got = a.get(f"/listings/{fixture['editable']}/files/{max(map(int, links))}/", port=c.web_ports[1])
    report.check(
        "upload through one instance downloads through the other",
        status == 302 and got is not None and got[0] == 200 and got[2] == pdf,
        f"upload on web-0 → {status}; download on web-1 → {got[0] if got else 'no link'}, "
        f"{len(got[2]) if got else 0} bytes identical: {bool(got and got[2] == pdf)}",
    )


NOTICES_CODE = """
from accounts.models import User
from notifications.services import notify
from django.db import transaction
users = list(User.objects.filter(is_active=True).order_by("pk"))
with transaction.atomic():
    for i in range(200):
        notify(recipients=[users[i % len(users)]], kind="system", title=f"cluster-test-{marker} #{i}")
print(200)
"""


def mails_with(c, marker):
    """(recipient, subject) of every e-mail written by the file backend whose subject has the marker."""
    found = []
    for path in c.mail.glob("*.log"):
        for text in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            if not text.strip():
                continue
            message = email.message_from_string(text.lstrip(), policy=email.policy.default)
            subject = str(message["Subject"] or "")
            if marker in subject:
                found.append((str(message["To"]), subject))
    return found


def check_notices(c, report):
    marker = secrets.token_hex(4)
    started = time.monotonic()
    n = int(c.shell(NOTICES_CODE.replace("{marker}", marker)).strip().splitlines()[-1])

    def delivered():
        return c.psql(
            f"SELECT count(*) FROM notifications_notification WHERE title LIKE 'cluster-test-{marker}%' "
            "AND email_status = 'sent'"
        ) == str(n)

    done = wait_for(delivered, 120, 1)
    seconds = time.monotonic() - started
    time.sleep(SCHEDULER_INTERVAL + 1)  # give a double send the chance to show
    mails = mails_with(c, f"cluster-test-{marker}")
    per_notice = collections.Counter(subject for _, subject in mails)
    workers = c.psql(
        "SELECT count(DISTINCT worker_ids::text) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%send_notification_email'"
    )
    report.check(
        f"{n} queued notices each delivered exactly once",
        done and len(mails) == n and len(per_notice) == n and max(per_notice.values()) == 1,
        f"{n} queued, {len(mails)} e-mails for {len(per_notice)} notices in {seconds:.0f}s, "
        f"at most {max(per_notice.values(), default=0)} per notice, by {workers} workers",
    )


DAILY_JOBS = 6  # the daily jobs of run_scheduler.JOBS


def check_periodic_jobs(c, report):
    # The day's jobs run one after another in whichever scheduler got there first; on a loaded machine
    # the last may still be running when this check comes: wait for them (it is about once, not speed).
    sql_daily = "FROM core_jobrun WHERE period NOT LIKE '%s-%' AND job <> 'worker_heartbeat'"
    finished = f"SELECT count(*) {sql_daily} AND finished_at IS NOT NULL"
    wait_for(lambda: int(c.psql(finished)) >= DAILY_JOBS, 120, 1)
    took = "coalesce(finished_at, now()) - started_at"
    slowest = c.psql(
        f"SELECT job || ' ' || round(extract(epoch FROM {took})) || 's' "
        f"|| CASE WHEN finished_at IS NULL THEN ' (still running)' ELSE '' END {sql_daily} "
        f"ORDER BY {took} DESC LIMIT 1"
    )
    rows = c.psql(
        "SELECT job, period, instance, finished_at IS NOT NULL FROM core_jobrun "
        "WHERE job <> 'worker_heartbeat' ORDER BY job, period"
    ).splitlines()
    runs = [r.split("|") for r in rows]
    daily = [r for r in runs if not r[1].endswith("s") and "s-" not in r[1]]
    frequent = [r for r in runs if "s-" in r[1]]
    slots = sorted(int(r[1].split("-")[1]) for r in frequent)
    gaps = [b - a for a, b in zip(slots, slots[1:], strict=False) if b - a != 1]
    instances = sorted({r[2].split(":")[0] for r in runs})
    digests = mails_with(c, "本日のお知らせ")
    per_user = collections.Counter(to for to, _ in digests)
    report.check(
        "each periodic job ran exactly once per period",
        len(daily) == len({r[0] for r in daily}) >= DAILY_JOBS
        and all(r[3] == "t" for r in daily)
        and len(frequent) >= 2
        and not gaps
        and len(per_user) >= 5
        and max(per_user.values()) == 1,
        f"{len(daily)} daily jobs once each today, unfinished {[r[0] for r in daily if r[3] != 't']}, "
        f"slowest {slowest or 'none'}; retry_emails in {len(frequent)} consecutive slots of "
        f"{SCHEDULER_INTERVAL}s, run by {instances}; digests {len(digests)} to {len(per_user)} users, "
        f"max per user {max(per_user.values(), default=0)}",
    )


def check_metrics(c, report):
    cl = Client(c.web_ports[0])
    status, _, body = cl.request("GET", "/metrics", headers={"Authorization": f"Bearer {c.metrics_token}"})
    text = body.decode()
    public = Client(c.nginx_port).request("GET", "/metrics", headers={"Authorization": f"Bearer {c.metrics_token}"})
    no_token = cl.get("/metrics")[0]
    report.check(
        "metrics on an instance, not through nginx, not without the token",
        status == 200
        and "kyodo_http_request_duration_seconds_bucket" in text
        and "kyodo_task_queue_depth" in text
        and public[0] == 404
        and no_token == 404,
        f"instance {status} ({len(text.splitlines())} lines), through nginx {public[0]}, without token {no_token}",
    )


def check_logs(c, report):
    """Every log line of the instances is JSON; the publish request's id reached the tasks it queued."""
    lines = [line for i in (0, 1) for line in (c.logs / f"web-{i}.log").read_text().splitlines()]
    records = []
    for line in lines:
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    with_id = [r for r in records if r.get("request_id")]
    request_id = getattr(c, "publish_request_id", "")
    tasks = (
        c.psql(
            f"SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE args_kwargs->>'request_id' = '{request_id}'"
        )
        if re.fullmatch(r"[0-9a-f]{32}", request_id)
        else "0"
    )
    django_lines = [line for line in lines if not line.startswith("[")]  # gunicorn's own lines are not Django's
    report.check(
        "structured logs with request ids carried into tasks",
        records and len(records) == len(django_lines) and with_id and int(tasks) > 0,
        f"{len(records)} of {len(django_lines)} portal log lines are JSON, {len(with_id)} with a request id; "
        f"tasks queued by the publish request {request_id or '-'}: {tasks}",
    )


def measure_capacity(c, report):
    """Requests per second of one instance (2 gunicorn workers) for the load's page mix, directly."""
    seconds = 10
    results = Load(c.procs, c.web_ports[1], seconds=seconds, concurrency=4, pause=0).result()
    ok = [r for r in results if r[1] == 200]
    rps = len(ok) / seconds
    load = os.getloadavg()[0]
    report.check(
        "capacity of one instance (information)",
        len(ok) > 0,
        f"{len(ok)} pages ({', '.join(LOAD_PATHS)}) in {seconds}s from 4 users: {rps:.1f} rps, "
        f"{rps / int(c.env['WEB_CONCURRENCY']):.1f} per gunicorn worker; machine load average {load:.1f}",
    )


def fault_kill_instance(c, report):
    load = Load(c.procs, c.nginx_port, seconds=16)
    time.sleep(5)
    c.procs.kill("web-0")
    killed_at = time.time() - load.started
    time.sleep(6)
    c.web_start(0)
    results = load.result()
    wait_for(lambda: c.web_ready(0), 30)
    bad = failures(results)
    report.check(
        "kill one app instance under load",
        len(bad) == 0 and len(results) > 50,
        f"{len(results)} requests ({statuses(results)}), {len(bad)} failed (killed web-0 at {killed_at:.1f}s, restarted 6s later)",
    )


def fault_redis(c, report):
    load = Load(c.procs, c.nginx_port, seconds=16)
    time.sleep(4)
    c.procs.kill("redis", signal.SIGTERM)
    down_at = time.monotonic()
    time.sleep(2)
    login = Client(c.nginx_port, forwarded_for="198.51.100.9").login("npo-editor@example.jp")[0]
    time.sleep(4)
    c.redis_start()
    results = load.result()
    readyz = wait_for(lambda: Client(c.web_ports[0]).get("/readyz")[0] == 200, 30)
    back = time.monotonic() - down_at
    bad = failures(results)
    report.check(
        "stop and restart Redis under load",
        len(bad) == 0 and len(results) > 50 and login == 429 and readyz,
        f"{len(results)} requests ({statuses(results)}), {len(bad)} failed while Redis was down 6s; a login during the outage → {login} (rate limit fails closed); "
        f"readyz ok again {back:.0f}s after the stop",
    )


def fault_postgres(c, report):
    load = Load(c.procs, c.nginx_port, seconds=30)
    time.sleep(4)
    c.pg_stop("fast")
    stopped = time.time()
    time.sleep(6)
    c.pg_start()
    restarted = time.time()
    results = load.result()
    during = [r for r in results if stopped + 1 < r[0] < restarted]
    after = [r for r in results if r[0] > restarted]
    first_ok = next((r[0] for r in after if r[1] == 200), None)
    recovered = first_ok is not None and not failures([r for r in after if r[0] > first_ok + 3])
    page = Client(c.nginx_port).get("/listings/")
    report.check(
        "stop and restart PostgreSQL under load",
        bool(during)
        and all(r[1] in (200, 503) for r in during)
        and any(r[1] == 503 for r in during)
        and recovered
        and page[0] == 200,
        f"{len(results)} requests ({statuses(results)}); while down {len(during)} answered "
        f"({sum(r[1] == 503 for r in during)} with the 503 page, {sum(r[1] not in (200, 503) for r in during)} other); "
        f"recovered {first_ok - restarted if first_ok else -1:.1f}s after restart, no portal restart",
    )


def fault_scheduler_leader(c, report):
    last = c.psql(
        "SELECT instance FROM core_jobrun WHERE job = 'retry_emails' AND finished_at IS NOT NULL "
        "ORDER BY started_at DESC LIMIT 1"
    )
    leader = last.split(":")[0]
    other = "sched-1" if leader == "sched-0" else "sched-0"
    killed = time.monotonic()
    c.procs.kill(leader)

    def taken_over():
        return (
            c.psql(
                "SELECT count(*) FROM core_jobrun WHERE job = 'retry_emails' AND instance LIKE "
                f"'{other}:%' AND started_at > now() - interval '1 second' * {time.monotonic() - killed:.1f}"
            )
            != "0"
        )

    took = wait_for(taken_over, SCHEDULER_INTERVAL * 3, 0.5)
    seconds = time.monotonic() - killed
    report.check(
        "kill the scheduler that ran last; the other takes over",
        took and seconds <= SCHEDULER_INTERVAL * 2 + 1,
        f"killed {leader}; {other} ran retry_emails {seconds:.1f}s later (interval {SCHEDULER_INTERVAL}s)",
    )


if __name__ == "__main__":
    sys.exit(main())
