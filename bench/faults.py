"""`make faults`: the site while PostgreSQL or Redis is down, and after it comes back, without a restart.

    python bench/faults.py

gunicorn (2 sync workers, DEBUG off, persistent database connections: CONN_MAX_AGE=60 with health
checks) runs against PostgreSQL (database faults_db) and Redis (db 13), each reached through a small
TCP proxy this script runs on 127.0.0.1. A fault is the proxy closing: its open connections are
cut and new ones refused, as when the server stops; the shared servers themselves are never touched.

Scenarios, each printing what it saw (status, time, what the page said):
  a. PostgreSQL down: /healthz answers 503; pages that need the database answer the friendly 503
     (no traceback, Retry-After) to a visitor and to a signed-in member; a page already in the page
     cache may still answer 200 from Redis; the alert sign-up form answers 503 "try again", and
     nothing was recorded (no false success).
  b. PostgreSQL back: the same gunicorn workers (same pids) answer 200 again, the member is still
     signed in, /healthz is ok and the form works.
  c. Redis down: the landing page and the list pages answer 200 from the database, /healthz says
     "degraded" with 200 (a load balancer keeps the servers), the form's rate limit fails open;
     Redis back: the cache is used again (the workers empty it once, since writes were lost).
The exit status is 1 when any expectation fails.
"""

import asyncio
import contextlib
import secrets
import sys
import threading
import time
from http.cookiejar import CookieJar

from load_test import (
    FORM,
    POSTGRES,
    REDIS,
    VAR,
    Gunicorn,
    csrf_pair,
    fetch,
    free_port,
    log,
    manage,
    prepare,
    server_env,
)

DATABASE = "faults_db"
REDIS_DB = 13
PAGES = ["/", "/store/", "/events/", "/joblist/", "/news/", "/censorship/resumes/"]
MEMBER_EMAIL = "faults.member@example.org"
FRIENDLY = "try again in a few minutes"


class Proxy:
    """A TCP proxy on 127.0.0.1:port to 127.0.0.1:target, run by an asyncio loop in a thread.

    down() closes the listening socket and cuts every open connection both ways (a client sees
    its connection reset, then connections refused); up() listens again on the same port.
    """

    def __init__(self, name, target):
        self.name, self.target, self.port = name, target, free_port()
        self.server, self.connections = None, set()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name=f"proxy-{name}", daemon=True).start()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    def up(self):
        self._run(self._listen())

    def down(self):
        self._run(self._close())

    async def _listen(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def _close(self):
        self.server.close()
        for transport in list(self.connections):
            transport.abort()
        self.connections.clear()
        await self.server.wait_closed()

    async def _serve(self, client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            client_writer.transport.abort()
            return
        pair = {client_writer.transport, upstream_writer.transport}
        self.connections |= pair
        await asyncio.gather(self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer))
        self.connections -= pair

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


class Checks:
    def __init__(self):
        self.failures = []

    def expect(self, condition, what):
        if not condition:
            self.failures.append(what)
            log(f"    FAILED: {what}")
        return condition


def describe(status, headers, body, seconds):
    notes = []
    if FRIENDLY in body:
        notes.append("friendly page")
    if "Traceback" in body:
        notes.append("TRACEBACK")
    if headers.get("Retry-After"):
        notes.append(f"Retry-After {headers['Retry-After']}")
    if headers.get("Location"):
        notes.append(f"-> {headers['Location']}")
    if headers.get("Content-Type", "").startswith("application/json"):
        notes.append(body.strip())
    return f"{status}  {seconds * 1000:7.1f} ms  {', '.join(notes)}"


def get(base, path, cookies=None, headers=None, label=""):
    answer = fetch(base + path, cookies=cookies, headers=headers)
    log(f"    GET  {path + label:<42} {describe(*answer)}")
    return answer


def post(base, path, data, cookies=None, headers=None):
    answer = fetch(base + path, data=data, cookies=cookies, headers=headers)
    log(f"    POST {path:<42} {describe(*answer)}")
    return answer


def is_friendly_503(answer):
    status, headers, body, _seconds = answer
    return status == 503 and FRIENDLY in body and "Traceback" not in body and headers.get("Retry-After") == "60"


def create_member(env):
    password = secrets.token_urlsafe(16)
    code = (
        "from django.utils import timezone; from membership.models import User; "
        f"u, _ = User.objects.get_or_create(email={MEMBER_EMAIL!r}, "
        "defaults={'first_name': 'Fault', 'last_name': 'Test', 'email_verified_at': timezone.now()}); "
        f"u.set_password({password!r}); u.save()"
    )
    manage(env, "shell", "-c", code)
    return password


def log_in(base, password):
    cookies = CookieJar()
    status, _headers, body, _seconds = fetch(base + "/accounts/login/", cookies=cookies)
    marker = 'name="csrfmiddlewaretoken" value="'
    token = body.split(marker, 1)[1].split('"', 1)[0] if marker in body else ""
    data = {"csrfmiddlewaretoken": token, "username": MEMBER_EMAIL, "password": password}
    status, headers, _body, _seconds = fetch(base + "/accounts/login/", data=data, cookies=cookies)
    if status != 302:
        raise SystemExit(f"the member could not sign in (POST /accounts/login/ answered {status})")
    return cookies


def sign_up_data(token, email):
    return {"csrfmiddlewaretoken": token, "email": email, "name": "Fault Test", "zip_code": "60601", "website": ""}


def subscribers(env, email):
    code = f"from advocacy.models import AlertSubscriber as S; print(S.objects.filter(email={email!r}).count())"
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def wait_until(condition, timeout):
    """Seconds until condition() held, or None after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def scenario_postgres_down(base, env, pg, member, token, csrf_headers, check):
    log("\n(a) PostgreSQL down (its proxy closed: open connections cut, new ones refused)")
    pg.down()
    status, _headers, body, seconds = answer = get(base, "/healthz")
    check.expect(status == 503 and '"database": "error' in body, f"/healthz answered {status}: {body[:120]}")
    friendly = []
    for path in PAGES:
        # With a query string of its own the page is not in the page cache: unless everything it
        # shows is in the section cache (the landing page), it needs the database.
        for variant in (path, f"{path}?outage={secrets.token_hex(4)}"):
            answer = get(base, variant)
            check.expect(
                answer[0] == 200 or is_friendly_503(answer),
                f"{variant} answered {answer[0]}: neither a page from the cache nor the friendly 503",
            )
            if is_friendly_503(answer):
                friendly.append(variant)
            elif path != "/" and "?" in variant:
                check.expect(False, f"{variant}: a list page outside the page cache did not answer the friendly 503")
    log(f"    friendly 503: {len(friendly)} of {2 * len(PAGES)} requests, the rest served from the cache (200)")
    answer = get(base, "/store/", cookies=member, label=" (signed in)")
    check.expect(is_friendly_503(answer), f"a signed-in member's /store/ answered {answer[0]}")
    email = f"fault-{secrets.token_hex(4)}@example.org"
    answer = post(base, FORM, sign_up_data(token, email), headers=csrf_headers)
    status, headers, body, _seconds = answer
    check.expect(is_friendly_503(answer), f"the sign-up form answered {status}, not the friendly 503")
    check.expect("could not be sent" in body, "the form's 503 does not say the form was not sent")
    check.expect("check-your-email" not in headers.get("Location", ""), "the form claimed success")
    return email


def scenario_postgres_back(base, env, pg, member, token, csrf_headers, unsent_email, workers, server, check):
    log("\n(b) PostgreSQL back (proxy listening again), gunicorn not restarted")
    pg.up()
    recovered = wait_until(lambda: fetch(base + "/store/?back=1")[0] == 200, timeout=30)
    check.expect(recovered is not None, "pages did not answer 200 within 30 s of PostgreSQL coming back")
    log(f"    pages answer 200 again {recovered or 0:.1f} s after PostgreSQL came back")
    for path in PAGES:
        answer = get(base, f"{path}?back={secrets.token_hex(4)}")
        check.expect(answer[0] == 200, f"{path} answered {answer[0]} after PostgreSQL came back")
    answer = get(base, "/healthz")
    check.expect(answer[0] == 200, f"/healthz answered {answer[0]} after PostgreSQL came back")
    answer = get(base, "/membership/", cookies=member, label=" (signed in)")
    check.expect(answer[0] == 200 and "Log out" in answer[2], "the member is not signed in any more")
    check.expect(server.worker_pids() == workers, f"gunicorn workers changed: {workers} -> {server.worker_pids()}")
    log(f"    same gunicorn workers: {workers}")
    check.expect(subscribers(env, unsent_email) == 0, "the sign-up sent during the outage was recorded after all")
    log(f"    the sign-up answered 503 during the outage was not recorded: {subscribers(env, unsent_email) == 0}")
    email = f"fault-{secrets.token_hex(4)}@example.org"
    answer = post(base, FORM, sign_up_data(token, email), headers=csrf_headers)
    check.expect(answer[0] == 302 and subscribers(env, email) == 1, f"the sign-up form answered {answer[0]} once back")


def scenario_redis_down(base, env, redis, token, csrf_headers, server, check):
    log("\n(c) Redis down (its proxy closed): pages served from the database")
    redis.down()
    for path in PAGES:
        answer = get(base, path)
        check.expect(answer[0] == 200, f"{path} answered {answer[0]} with Redis down")
        answer = get(base, f"{path}?noredis={secrets.token_hex(4)}")
        check.expect(answer[0] == 200, f"{path} (uncached) answered {answer[0]} with Redis down")
    answer = get(base, "/healthz")
    check.expect(answer[0] == 200 and '"degraded"' in answer[2], f"/healthz answered {answer[0]}: {answer[2][:120]}")
    log("    12 sign-ups from one address (the limit is 10 in 10 minutes): the rate limit fails open")
    statuses = []
    for _ in range(12):
        email = f"fault-{secrets.token_hex(4)}@example.org"
        statuses.append(fetch(base + FORM, data=sign_up_data(token, email), headers=csrf_headers)[0])
    log(f"    statuses: {statuses}")
    check.expect(set(statuses) == {302}, f"sign-ups with Redis down answered {sorted(set(statuses))}")

    log("\n(c) Redis back (proxy listening again)")
    redis.up()
    time.sleep(6)  # the breaker tries Redis again 5 s after its last failure
    for path in PAGES:
        answer = get(base, path)
        check.expect(answer[0] == 200, f"{path} answered {answer[0]} once Redis was back")
    answer = get(base, "/healthz")
    check.expect(answer[0] == 200 and '"status": "ok"' in answer[2], f"/healthz once Redis was back: {answer[2][:120]}")
    text = server.log_text()
    warnings = text.count("Redis cache unreachable")
    log(
        f"    gunicorn log: {text.count('Database unavailable')} 'Database unavailable' and {warnings} 'Redis cache "
        f"unreachable' warnings (at most one a minute per worker), {text.count('Redis cache emptied')} 'emptied'"
    )
    check.expect(0 < warnings <= 4, f"{warnings} Redis warnings logged: expected one or two per worker")


def main():
    VAR.mkdir(exist_ok=True)
    check = Checks()
    port = free_port()
    direct = {"DATABASE_URL": f"{POSTGRES}/{DATABASE}", "CACHE_URL": f"{REDIS}/{REDIS_DB}"}
    setup_env = server_env(direct, port, VAR / "faults-static")
    log(f"Faults: PostgreSQL {DATABASE} and Redis db {REDIS_DB}, each through a TCP proxy")
    prepare(setup_env, volume=0)
    password = create_member(setup_env)

    pg, redis = Proxy("postgres", 5432), Proxy("redis", 6379)
    pg.up()
    redis.up()
    through_proxies = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/{DATABASE}",
        "CACHE_URL": f"redis://127.0.0.1:{redis.port}/{REDIS_DB}",
        "CONN_MAX_AGE": "60",
    }
    env = server_env(through_proxies, port, VAR / "faults-static")
    log(f"gunicorn on port {port}; PostgreSQL proxy on {pg.port}, Redis proxy on {redis.port}")
    server = Gunicorn(env, port, VAR / "faults-gunicorn.log")
    try:
        server.wait_ready()
        base = server.base
        log("\nBefore any fault: every page 200 (and in the page cache)")
        for path in PAGES:
            answer = get(base, path)
            check.expect(answer[0] == 200, f"{path} answered {answer[0]} before any fault")
            fetch(base + path)
        member = log_in(base, password)
        cookie, token = csrf_pair(base)
        csrf_headers = {"Cookie": f"csrftoken={cookie}"}
        workers = server.worker_pids()

        unsent = scenario_postgres_down(base, env, pg, member, token, csrf_headers, check)
        scenario_postgres_back(base, env, pg, member, token, csrf_headers, unsent, workers, server, check)
        scenario_redis_down(base, env, redis, token, csrf_headers, server, check)
        check.expect("Traceback" not in server.log_text(), f"gunicorn logged a traceback (see {server.log_path})")
    finally:
        server.stop()
        with contextlib.suppress(Exception):
            redis.up()

    if check.failures:
        log("\nFAILED:\n  " + "\n  ".join(check.failures))
        return 1
    log("\nOK: every fault scenario held.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
