"""Paired comparison of two checkouts under the same load, taking turns, so that the machine's drift cancels.

    python -m bench.compare OLD_CHECKOUT OLD_DATABASE_URL [--rounds 5] [--pages directory-search ...]

compares an older checkout (a `git worktree` of, say, the commit before a change) with this one. Each
side is served by its own gunicorn (2 workers, production settings, its own Redis database) on its own
database, which that side's `make bench` seeded (this one: DATABASE_URL or kyodo_bench). Every round
drives, for each side in turn (the order swaps every round), each page right after a floor (`/healthz`)
of the same side, and times `suggest_partners` over the bench's 50 listings in a process of that side.
On a shared virtual machine one run's ratios moved by ±15% from one minute to the next; the medians of
paired rounds are what a change is judged by. The old checkout needs `bench/scenarios.py` and
`bench.run.session_cookie` (copy this checkout's `bench/` into it if they differ).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import FLOOR_REQUESTS, drive, free_port, log, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ["directory-search", "listing-index", "listing-detail"]

# Run in each side's checkout: the URL and session cookie of every page, as that side resolves them.
RESOLVE = """
import json, django
django.setup()
from bench import scenarios
from bench.run import session_cookie
pages = dict(scenarios.PAGES)
out = {}
for name in json.loads(NAMES):
    page = pages[name]()
    out[name] = [page.url, session_cookie(page.user_email) if page.user_email else ""]
print(json.dumps(out))
"""

# Run in each side's checkout: p50/p95 of one pass of suggest_partners over the bench's listings.
SUGGEST = """
import json, time, django
django.setup()
from bench.scenarios import suggest_listings
try:
    from matching.suggestions import suggest_partners
except ImportError:
    from matching.services import suggest_partners
listings = suggest_listings(50)
for listing in listings:  # one pass first: a checkout may keep per-process caches, as its workers would
    suggest_partners(listing, limit=10)
times = []
for listing in listings:
    started = time.perf_counter()
    suggest_partners(listing, limit=10)
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}))
"""


class Side:
    def __init__(self, name: str, root: Path, database_url: str, cache_db: int):
        self.name, self.root = name, root
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "CONN_MAX_AGE": "60",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CACHE_URL": f"redis://127.0.0.1:6379/{cache_db}",
            "API_RATE_LIMIT": "100000/minute",
            "PYTHONPATH": str(root),
        }
        self.port = free_port()
        self.server = None

    def python(self, code: str, **variables) -> dict:
        prelude = "".join(f"{key} = {json.dumps(value)!r}\n" for key, value in variables.items())
        done = subprocess.run(  # noqa: S603 (this interpreter, our own code)
            [sys.executable, "-c", prelude + code],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name}: {done.stderr.strip()[-800:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, logfile):
        self.server = start_gunicorn(self.port, logfile, root=self.root, env=self.env)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_checkout", type=Path)
    parser.add_argument("old_database_url")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--no-suggest", action="store_true")
    args = parser.parse_args(argv)
    new_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/kyodo_bench"
    sides = [Side("old", args.old_checkout.resolve(), args.old_database_url, 5), Side("new", ROOT, new_url, 6)]
    results = {side.name: {page: [] for page in [*args.pages, "suggest"]} for side in sides}
    with tempfile.TemporaryFile(mode="w+") as server_log:
        try:
            pages = {}
            for side in sides:
                side.start(server_log)
                pages[side.name] = side.python(RESOLVE, NAMES=args.pages)
                log(f"{side.name}: {side.root} on {side.base}")
            for number in range(1, args.rounds + 1):
                for side in sides if number % 2 else reversed(sides):
                    for page, (url, cookie) in pages[side.name].items():
                        floor = drive(
                            side.base + "/healthz",
                            requests=max(args.requests, FLOOR_REQUESTS),
                            users=args.users,
                            cookie="",
                            max_seconds=10,
                        )
                        measured = drive(
                            side.base + url, requests=args.requests, users=args.users, cookie=cookie, max_seconds=40
                        )
                        if measured["errors"] or floor["errors"]:
                            # A redirect or an error is not the page: its speed would mean nothing.
                            raise RuntimeError(f"{side.name} {page}: {measured['errors']} responses other than 200")
                        ratio = measured["rps"] / floor["rps"]
                        results[side.name][page].append(ratio)
                        print(
                            json.dumps(
                                {
                                    "round": number,
                                    "side": side.name,
                                    "page": page,
                                    "ratio_to_floor": round(ratio, 3),
                                    "rps": measured["rps"],
                                    "floor_rps": floor["rps"],
                                    "errors": measured["errors"],
                                }
                            ),
                            flush=True,
                        )
                    if not args.no_suggest:
                        timed = side.python(SUGGEST)
                        results[side.name]["suggest"].append(timed["p95_ms"])
                        print(json.dumps({"round": number, "side": side.name, "page": "suggest", **timed}), flush=True)
                log(f"round {number}/{args.rounds} done")
        finally:
            for side in sides:
                if side.server:
                    side.server.terminate()
                    side.server.wait(timeout=30)
    summary = {}
    for page in results["old"]:
        old, new = results["old"][page], results["new"][page]
        if old and new:
            unit = "p95_ms" if page == "suggest" else "ratio_to_floor"
            summary[page] = {unit: [round(statistics.median(old), 3), round(statistics.median(new), 3)]}
    print(json.dumps({"summary": f"{args.rounds} paired rounds, medians [old, new]", **summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
