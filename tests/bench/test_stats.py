"""Smoke tests of the benchmark's arithmetic, output lines and load client (no PostgreSQL needed)."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import drive
from bench.stats import page_line, percentile, skipped_line, summarise


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [10, 20, 30, 40, 50]
    assert percentile(values, 50) == 30
    assert percentile(values, 95) == pytest.approx(48)
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 50
    assert percentile([7], 95) == 7
    assert percentile([3, 1, 2], 50) == 2  # unsorted input


def test_percentile_refuses_no_values_and_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summarise_gives_rounded_percentiles_and_throughput():
    summary = summarise([10.0] * 19 + [110.0], elapsed_s=2.0)
    assert summary == {"p50_ms": 10.0, "p95_ms": 15.0, "rps": 10.0}


def test_page_line_is_one_json_object_with_the_ratio_to_the_floor():
    line = page_line("listing-index", {"p50_ms": 20.0, "p95_ms": 41.5, "rps": 50.0}, 9, 200.0)
    assert "\n" not in line
    assert json.loads(line) == {
        "page": "listing-index",
        "p50_ms": 20.0,
        "p95_ms": 41.5,
        "rps": 50.0,
        "queries": 9,
        "ratio_to_floor": 0.25,
    }


def test_page_line_without_a_floor_has_no_ratio_and_keeps_extra_keys():
    line = json.loads(page_line("suggest", {"p50_ms": 5.0, "p95_ms": 9.0, "rps": 150.0}, 6, None, calls=50))
    assert line["ratio_to_floor"] is None
    assert line["calls"] == 50


def test_skipped_line_names_the_page_and_keeps_japanese_readable():
    assert json.loads(skipped_line("statistics", "統計がありません")) == {
        "page": "statistics",
        "skipped": "統計がありません",
    }
    assert "統計" in skipped_line("statistics", "統計がありません")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        status = 200 if self.path == "/ok" else 302
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_load_client_sends_exactly_the_requested_number_and_stops(server):
    result = asyncio.run(drive(f"{server}/ok", requests=25, users=4, warmup=3))
    assert result["requests"] == 25
    assert result["errors"] == 0
    assert result["statuses"] == {"200": 25}
    assert result["p95_ms"] >= result["p50_ms"] > 0


def test_load_client_counts_redirects_as_errors(server):
    result = asyncio.run(drive(f"{server}/login-redirect", requests=5, users=2))
    assert result["errors"] == 5
    assert result["statuses"] == {"302": 5}


def test_mixed_load_draws_every_entry_with_its_own_cookie_and_repeats():
    from bench.load import _picker

    mix = [[7, "http://x/public", ""], [3, "http://x/dashboard", "sessionid=abc"]]
    pick = _picker("", "", mix)
    draws = [pick() for _ in range(1000)]
    public = [headers for url, headers in draws if url == "http://x/public"]
    assert 600 < len(public) < 800 and all(h == {} for h in public)
    assert all(h == {"Cookie": "sessionid=abc"} for url, h in draws if url == "http://x/dashboard")
    again = _picker("", "", mix)
    assert [again() for _ in range(20)] == draws[:20]  # seeded: runs repeat


def test_single_url_load_sends_its_cookie():
    from bench.load import _picker

    assert _picker("http://x/a", "c=1", None)() == ("http://x/a", {"Cookie": "c=1"})
