# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests run with production-like settings (DEBUG off) and a throwaway key; background tasks (email)
# run at once, as in development (the tests that exercise the worker switch to the database queue).
# Connections close after each request, so no live-server thread holds the test database at its drop.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-not-secret SECURE_COOKIES=false TASKS_BACKEND=immediate PAYMENT_ALLOW_DUMMY=true CONN_MAX_AGE=0

.PHONY: run test lint format setup browser clean bench load faults

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# `make run PORT=8101` serves elsewhere; canonical, Open Graph and payment links follow the port
# unless SITE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 8000
RUN_ENV = DEBUG=true SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"

run: $(STAMP)
	mkdir -p var
	# A local .env (git-ignored) marks this checkout as a development one for manage.py too.
	test -f .env || printf 'DEBUG=true\n' > .env
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

clean:
	rm -rf $(VENV) var

# `make bench` (SQLite + local memory) or `make bench DB=postgres` (PostgreSQL + Redis): wrk against
# gunicorn on a fresh database seeded with `seed_demo --volume $(VOLUME)`; prints each page's ratio to
# /robots.txt and exits 1 when a target is missed (BENCH_STRICT=0 only prints). See bench/bench.py.
DB ?= sqlite
VOLUME ?= 1000
BENCH_STRICT ?= 1
BENCH_ARGS ?=
ifeq ($(DB),postgres)
BENCH_DATABASE_URL := postgres://postgres@127.0.0.1:5432/bench_db
BENCH_CACHE_URL := redis://127.0.0.1:6379/9
else
BENCH_DATABASE_URL := sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_CACHE_URL := locmemcache://bench
endif
BENCH_ENV := DEBUG=false SECRET_KEY=bench-only-not-secret SECURE_COOKIES=false PAYMENT_ALLOW_DUMMY=true \
	ALLOWED_HOSTS=127.0.0.1,localhost STATIC_ROOT=$(CURDIR)/var/bench-static \
	DATABASE_URL=$(BENCH_DATABASE_URL) CACHE_URL=$(BENCH_CACHE_URL) BENCH_STRICT=$(BENCH_STRICT)
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	mkdir -p var
	$(BENCH_ENV) $(BIN)/python bench/bench.py --fresh-database --volume $(VOLUME) $(BENCH_ARGS)

# `make load` (SQLite + local memory) or `make load DB=postgres` (PostgreSQL load_db + Redis db 12):
# gunicorn on a fresh database (seed_demo --volume 1000), wrk with 64 connections for LOAD_SECONDS over
# the landing page, the list pages and a form POST; exits 1 on any 5xx or socket error. See bench/load_test.py.
LOAD_SECONDS ?= 60
load: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	mkdir -p var
	$(BIN)/python bench/load_test.py --db $(DB) --seconds $(LOAD_SECONDS)

# `make faults`: PostgreSQL (faults_db) and Redis (db 13) cut and restored under a running gunicorn,
# through TCP proxies the script runs (the servers themselves are never stopped). See bench/faults.py.
faults: $(STAMP)
	mkdir -p var
	$(BIN)/python bench/faults.py

# `make lighthouse`: Lighthouse 12 (npm, pinned in tools/lighthouse/) with Debian's Chromium on the
# public pages, served by gunicorn with production settings from a scratch site in var/lighthouse/;
# prints the four scores per page and fails below 0.95. LIGHTHOUSE_RUNS=3 counts each score's median
# of three runs; LIGHTHOUSE_ARGS="/store/ --verbose" audits one page and lists what cost points.
.PHONY: lighthouse
LIGHTHOUSE_RUNS ?= 1
lighthouse: $(STAMP) browser
	$(BIN)/python tools/lighthouse/run.py --runs $(LIGHTHOUSE_RUNS) $(LIGHTHOUSE_ARGS)
