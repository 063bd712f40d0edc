"""A small load test: requests per second for some pages, against a trivial one, in one run.

    python bench/load.py http://127.0.0.1:8055 --seconds 10 --concurrency 8 / /store/ /membership/

The ratio to /healthz (one database and one cache round trip) is what to compare between
runs; absolute numbers depend on the machine. Only addresses on this machine are allowed.
"""

import argparse
import statistics
import threading
import time
import urllib.request
from urllib.parse import urlsplit

BASELINE = "/healthz"


def hammer(url, seconds, concurrency):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                (latencies if ok else errors).append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / seconds, latencies, len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("paths", nargs="*", default=["/", "/store/", "/membership/"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    host = urlsplit(args.base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("load tests only run against this machine (127.0.0.1, localhost or ::1)")

    results = {}
    for path in [BASELINE, *args.paths]:
        hammer(args.base_url + path, 1, 2)  # warm caches and connections
        results[path] = hammer(args.base_url + path, args.seconds, args.concurrency)

    baseline = results[BASELINE][0]
    print(f"{'path':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'vs /healthz':>12}")
    for path, (rate, latencies, errors) in results.items():
        p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
        p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 20 else float("nan")
        print(f"{path:<20} {rate:8.1f} {p50:8.1f} {p95:8.1f} {errors:7d} {rate / baseline:11.2f}x")


if __name__ == "__main__":
    main()
