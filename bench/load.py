"""The load client: N concurrent users send a fixed number of GETs to one URL, then it stops.

Runs in its own process (`python -m bench.load URL --requests 300 --users 8`; with `--mix FILE`
each request picks a URL and its cookie from the file's weighted list instead), never imports
Django, and prints one JSON object: p50_ms, p95_ms, rps, errors and the status codes seen.
A response other than 200 counts as an error (redirects are not followed: a redirect to the
login page means the session did not work, and the measurement would be meaningless).
"""

import argparse
import asyncio
import json
import random
import sys
import time
from collections import Counter

import aiohttp

from bench.stats import summarise


async def _user(session, pick, remaining, latencies, statuses, deadline=None):
    while remaining[0] > 0 and (deadline is None or time.perf_counter() < deadline):
        remaining[0] -= 1
        url, headers = pick()
        started = time.perf_counter()
        try:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except aiohttp.ClientError as exc:
            status = type(exc).__name__
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1


def _picker(url: str, cookie: str, mix: list | None):
    """What each request asks for: the one URL, or a weighted draw (seeded, so runs repeat) from mix,
    a list of [weight, url, cookie]."""
    if not mix:
        fixed = (url, {"Cookie": cookie} if cookie else {})
        return lambda: fixed
    rng = random.Random(2025)  # noqa: S311 (a load pattern, not a secret)
    choices = [(u, {"Cookie": c} if c else {}) for _w, u, c in mix]
    weights = [w for w, _u, _c in mix]
    return lambda: rng.choices(choices, weights)[0]


async def drive(
    url: str,
    *,
    requests: int,
    users: int,
    cookie: str = "",
    warmup: int = 0,
    max_seconds: float | None = None,
    mix: list | None = None,
) -> dict:
    """Send `warmup` unmeasured then `requests` measured GETs from `users` concurrent users.

    With max_seconds, users stop starting requests after that long (a safety net for very slow
    pages: the result then counts fewer requests).
    """
    pick = _picker(url, cookie, mix)
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=users, force_close=True)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        if warmup:
            remaining = [warmup]
            await asyncio.gather(*(_user(session, pick, remaining, [], Counter()) for _ in range(users)))
        latencies: list[float] = []
        statuses: Counter = Counter()
        remaining = [requests]
        started = time.perf_counter()
        deadline = started + max_seconds if max_seconds else None
        await asyncio.gather(*(_user(session, pick, remaining, latencies, statuses, deadline) for _ in range(users)))
        elapsed = time.perf_counter() - started
    result = summarise(latencies, elapsed)
    result["requests"] = len(latencies)
    result["errors"] = sum(n for status, n in statuses.items() if status != 200)
    result["statuses"] = {str(k): v for k, v in statuses.items()}
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--cookie", default="", help="Cookie header sent with every request")
    parser.add_argument("--max-seconds", type=float, default=None, help="stop starting requests after this long")
    parser.add_argument("--mix", help="JSON file of [weight, url, cookie] entries: each request draws one")
    args = parser.parse_args(argv)
    mix = None
    if args.mix:
        with open(args.mix, encoding="utf-8") as fh:
            mix = json.load(fh)
    result = asyncio.run(
        drive(
            args.url,
            requests=args.requests,
            users=args.users,
            cookie=args.cookie,
            warmup=args.warmup,
            max_seconds=args.max_seconds,
            mix=mix,
        )
    )
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
