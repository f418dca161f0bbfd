"""The load client: N concurrent users send a fixed number of GETs to one URL, then it stops.

Runs in its own process (`python -m bench.load URL --requests 300 --users 8`), never imports
Django, and prints one JSON object: p50_ms, p95_ms, rps, errors and the status codes seen.
A response other than 200 counts as an error (redirects are not followed: a redirect to the
login page means the session did not work, and the measurement would be meaningless).
"""

import argparse
import asyncio
import json
import sys
import time
from collections import Counter

import aiohttp

from bench.stats import summarise


async def _user(session, url, remaining, latencies, statuses, deadline=None):
    while remaining[0] > 0 and (deadline is None or time.perf_counter() < deadline):
        remaining[0] -= 1
        started = time.perf_counter()
        try:
            async with session.get(url, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except aiohttp.ClientError as exc:
            status = type(exc).__name__
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1


async def drive(
    url: str, *, requests: int, users: int, cookie: str = "", warmup: int = 0, max_seconds: float | None = None
) -> dict:
    """Send `warmup` unmeasured then `requests` measured GETs from `users` concurrent users.

    With max_seconds, users stop starting requests after that long (a safety net for very slow
    pages: the result then counts fewer requests).
    """
    headers = {"Cookie": cookie} if cookie else {}
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=users, force_close=True)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout, connector=connector) as session:
        if warmup:
            remaining = [warmup]
            await asyncio.gather(*(_user(session, url, remaining, [], Counter()) for _ in range(users)))
        latencies: list[float] = []
        statuses: Counter = Counter()
        remaining = [requests]
        started = time.perf_counter()
        deadline = started + max_seconds if max_seconds else None
        await asyncio.gather(*(_user(session, url, remaining, latencies, statuses, deadline) for _ in range(users)))
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
    args = parser.parse_args(argv)
    result = asyncio.run(
        drive(
            args.url,
            requests=args.requests,
            users=args.users,
            cookie=args.cookie,
            warmup=args.warmup,
            max_seconds=args.max_seconds,
        )
    )
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
