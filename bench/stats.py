"""Percentiles and the benchmark's output lines. No Django here: the load client imports it too."""

import json
import math


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (0–100) with linear interpolation between ranks, as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError("pct must be within 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(latencies_ms: list[float], elapsed_s: float) -> dict:
    """p50/p95 of the latencies and the throughput of the whole run."""
    return {
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p95_ms": round(percentile(latencies_ms, 95), 1),
        "rps": round(len(latencies_ms) / elapsed_s, 1) if elapsed_s > 0 else None,
    }


def page_line(page: str, summary: dict, queries: int | None, floor: float | None, **extra) -> str:
    """One JSON line: {"page", "p50_ms", "p95_ms", "rps", "queries", "ratio_to_floor", …extra}."""
    rps = summary.get("rps")
    ratio = round(rps / floor, 3) if rps and floor else None
    line = {
        "page": page,
        "p50_ms": summary["p50_ms"],
        "p95_ms": summary["p95_ms"],
        "rps": rps,
        "queries": queries,
        "ratio_to_floor": ratio,
    }
    line.update(extra)
    return json.dumps(line, ensure_ascii=False)


def skipped_line(page: str, reason: str) -> str:
    return json.dumps({"page": page, "skipped": reason}, ensure_ascii=False)
