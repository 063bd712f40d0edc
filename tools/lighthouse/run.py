"""Lighthouse on the public pages against gunicorn with production settings (`make lighthouse`).

Installs Lighthouse 12 from this directory's package-lock.json (`npm ci`, once), builds a scratch
site under var/lighthouse/ (SQLite, `migrate`, `seed_demo`, `collectstatic`), serves it with
gunicorn on a free local port (DEBUG off, whitenoise serving the static files) and runs Lighthouse
with Debian's Chromium on each page. Prints the four category scores per page, the audits that cost
points on any page below the threshold, and exits 1 when a score is below it (a missing score, which
Lighthouse gives a page it could not measure, counts as a failure).

    .venv/bin/python tools/lighthouse/run.py                 # every page
    .venv/bin/python tools/lighthouse/run.py /store/ /news/  # some of them
    .venv/bin/python tools/lighthouse/run.py --runs 3        # the median of three runs per page
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / "var" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"

PAGES = ["/", "/store/", "/events/", "/joblist/", "/news/", "/censorship/", "/membership/join/"]
CATEGORIES = [
    ("performance", "perf"),
    ("accessibility", "a11y"),
    ("best-practices", "best"),
    ("seo", "seo"),
]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


# How many times Lighthouse is started for one page when it gives no report (see run_lighthouse).
LIGHTHOUSE_ATTEMPTS = 3


def log(message):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chrome_path():
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        sys.exit("Chromium not found: `make browser` installs Debian's package (or set CHROME_PATH).")
    return path


def install_lighthouse():
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        sys.exit("npm not found: Lighthouse is installed with npm (Node 20 or later).")
    log("== npm ci (Lighthouse 12, tools/lighthouse/package-lock.json)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def site_env(port):
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or "lighthouse-only-not-secret",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        PAYMENT_ALLOW_DUMMY="true",
        TASKS_BACKEND="immediate",
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        CACHE_URL="locmemcache://lighthouse",
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def build_site(env):
    log("== Scratch site in var/lighthouse/ (migrate, seed_demo, collectstatic)")
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (WORK / name).unlink(missing_ok=True)
    shutil.rmtree(WORK / "media", ignore_errors=True)
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)


def start_server(env, port):
    log(f"== gunicorn on 127.0.0.1:{port}")
    server_log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 (open for the server's lifetime)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "media_wsgi", "--pythonpath", f"{REPO},{HERE}"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=REPO,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); see {WORK / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not answer within 30 s; see {WORK / 'gunicorn.log'}")


def warm_up(url):
    """A few requests first, so each worker has compiled the page's templates and filled its caches,
    as on a site that has been serving for a while: Lighthouse measures one cold browser load, and
    its estimates start from the server's observed response time."""
    for _ in range(4):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError) as error:
            log(f"   warm-up request failed: {error}")


def run_lighthouse(url, report, chrome):
    warm_up(url)
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(name for name, _ in CATEGORIES),
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    # Lighthouse itself sometimes fails to record Chrome's trace (NO_NAVSTART) and gives no score
    # at all: that is tried again. A page that is scored is never re-run, whatever its scores.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True)
        if result.returncode == 0 and report.exists():
            return json.loads(report.read_text())
        log(f"   lighthouse failed ({result.returncode}, attempt {attempt}): {result.stderr.strip()[-2000:]}")
    return None


def scores_of(data):
    if data is None:
        return {name: None for name, _ in CATEGORIES}
    return {name: data["categories"].get(name, {}).get("score") for name, _ in CATEGORIES}


def median_scores(runs):
    """Each category's median over the runs (Lighthouse's advice for its run-to-run variance, which
    is mostly the performance score's); a run without a score makes the category's result null."""
    result = {}
    for name, _ in CATEGORIES:
        values = sorted(scores[name] for scores in runs) if all(scores[name] is not None for scores in runs) else None
        result[name] = values[len(values) // 2] if values else None
    return result


def costly_audits(data, category):
    """The weighted audits of a category that did not pass, with what Lighthouse says about them."""
    audits = data["audits"]
    lines = []
    for ref in data["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) <= 0 or audit.get("score") is None or audit["score"] >= 1:
            continue
        detail = audit.get("displayValue") or ""
        items = (audit.get("details") or {}).get("items") or []
        items = items if isinstance(items, list) else []
        lines.append(f"     - {ref['id']} (score {audit['score']}, weight {ref['weight']}) {detail}".rstrip())
        for item in items[:5]:
            node = item.get("node") or {}
            where = item.get("url") or node.get("snippet") or node.get("selector") or item.get("source") or ""
            if where:
                lines.append(f"         {str(where)[:160]}")
    return lines


def fmt(score):
    return "null" if score is None else f"{score:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=PAGES, help="paths to audit (default: the public pages)")
    parser.add_argument("--threshold", type=float, default=0.95, help="lowest passing score (default 0.95)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median of each score counts")
    parser.add_argument("--verbose", action="store_true", help="list the audits that cost points on every page")
    args = parser.parse_args()

    chrome = chrome_path()
    install_lighthouse()
    port = free_port()
    env = site_env(port)
    build_site(env)
    server = start_server(env, port)
    results = {}
    try:
        for path in args.pages:
            slug = path.strip("/").replace("/", "-") or "home"
            runs = []
            for run in range(1, args.runs + 1):
                suffix = f"-{run}" if args.runs > 1 else ""
                log(f"== Lighthouse {path}" + (f" (run {run} of {args.runs})" if args.runs > 1 else ""))
                data = run_lighthouse(f"http://127.0.0.1:{port}{path}", WORK / f"{slug}{suffix}.json", chrome)
                runs.append(scores_of(data))
                limit = 1 if args.verbose else args.threshold
                for name, _ in CATEGORIES:
                    score = runs[-1][name]
                    if data is not None and score is not None and score < limit:
                        log(f"   {name} {fmt(score)}:")
                        for line in costly_audits(data, name):
                            log(line)
            if args.runs > 1:
                log("   performance: " + " ".join(fmt(scores["performance"]) for scores in runs))
            results[path] = median_scores(runs)
    finally:
        server.terminate()
        server.wait(timeout=30)

    width = max(len(path) for path in results)
    log("")
    log(f"{'page':<{width}}  " + "  ".join(f"{short:>5}" for _, short in CATEGORIES))
    failed = []
    for path, scores in results.items():
        log(f"{path:<{width}}  " + "  ".join(f"{fmt(scores[name]):>5}" for name, _ in CATEGORIES))
        failed += [(path, name) for name, score in scores.items() if score is None or score < args.threshold]
    log(f"(reports: {WORK.relative_to(REPO)}/*.json" + (f"; medians of {args.runs} runs)" if args.runs > 1 else ")"))
    if failed:
        log(f"FAILED (below {args.threshold:.2f} or no score): " + ", ".join(f"{path} {name}" for path, name in failed))
        return 1
    log(f"OK: every score at least {args.threshold:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
