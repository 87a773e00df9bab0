# Sitrep tasks. `make run` and `make test` set up everything from a fresh clone.
PYTHON ?= python3.13
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
FIXTURES = $(sort $(wildcard fixtures/*.json))
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development runs with debug on; tests and `make serve` run with it off.
export DJANGO_DEBUG ?= 1

.PHONY: help install run serve migrate load-fixtures static test test-fast browser-deps \
        lint format migrations-check check shell dbshell reset-db db-stop bench bench-pages clean

help:
	@echo "make run            set up (venv, install, migrate, load fixtures) and serve on http://$(HOST):$(PORT)"
	@echo "make test           run the whole test suite (installs what the tests need)"
	@echo "make lint           ruff check + format check"
	@echo "make migrations-check  fail if models changed without a migration"
	@echo "make shell          Django shell;  make dbshell  psql on the app database"
	@echo "make reset-db       drop and recreate the app database, then migrate and load fixtures"
	@echo "make serve          gunicorn with production settings (needs DJANGO_SECRET_KEY)"
	@echo "make db-stop        stop the embedded PostgreSQL server"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.13 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.13"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

load-fixtures: migrate
	$(if $(FIXTURES),$(MANAGE) loaddata $(FIXTURES),@echo "No fixtures in fixtures/")

static: install
	$(MANAGE) collectstatic --noinput --verbosity 0

run: load-fixtures static
	$(MANAGE) runserver $(HOST):$(PORT)

serve: load-fixtures static
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) $(SERVE_WORKERS) --access-logfile -

# Cached counts are invalidated through the cache itself: without a shared Redis, several
# processes would each keep their own stale copy, so one process serves with threads.
SERVE_WORKERS = $(if $(REDIS_URL),--workers 3,--workers 1 --threads 4)

# Tests run with debug off, as production does, and a throwaway secret key.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=sitrep-test-only-key
test: install browser-deps
	$(TEST_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(TEST_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Browser tests drive the system Chromium; Playwright cannot download its own here.
# axe-core (package.json, pinned in package-lock.json) is injected into pages to audit them.
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium"; fi; }
	@test -f node_modules/axe-core/axe.min.js || { \
	  if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	  else echo "Browser tests need Node.js and npm to install axe-core (npm ci)"; fi; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

check: lint migrations-check
	$(TEST_ENV) $(MANAGE) check --deploy --fail-level ERROR

shell: install
	$(MANAGE) shell

dbshell: install
	$(MANAGE) dbshell

reset-db: install
	$(MANAGE) reset_db --noinput
	$(MAKE) load-fixtures

db-stop: install
	$(MANAGE) embedded_db stop

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache

# make bench: a synthetic corpus on fresh sitrep_bench* databases, loaded, ingested, served by
# gunicorn and measured; results in bench-results/. Sizes: BENCH_ARTICLES=… (see README).
BENCH_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=sitrep-bench-only-key SITREP_DB_NAME=sitrep_bench
bench: install static
	$(BENCH_ENV) $(MANAGE) bench

# Only the pages again, on the corpus the last `make bench` left in sitrep_bench.
bench-pages: install static
	$(BENCH_ENV) $(MANAGE) bench --pages-only
