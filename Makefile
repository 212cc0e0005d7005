# The two commands: `make run` and `make test` (README.md). Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# make test spreads the suite over one pytest-xdist worker per core; tests of one xdist_group (the
# browser tests, the real Celery workers) share one worker. PYTEST_ARGS comes last, so
# PYTEST_ARGS="-n 0" runs serially and PYTEST_ARGS='-m "not slow"' is the quick loop.
PYTEST_XDIST ?= -n auto --dist loadgroup
PYTEST_ARGS ?=

.PHONY: run test lint format messages worker clean-venv

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## make run: migrate, load demo data once, start the web server with the worker and scheduler.
run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) scripts/run.sh

## make test: the whole suite (SQLite by default; DATABASE_URL / REDIS_URL for PostgreSQL / Redis).
test: $(VENV)/.dev
	@$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy lyushunkou units complaints inspections supervision scoring areas api tests
	$(VENV)/bin/lint-imports --no-logo --cache-dir .var/import_linter_cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: refresh locale/*/django.po from the code and compile them (needs gettext).
messages: $(VENV)/.dev
	$(PY) manage.py makemessages --locale zh_Hans --locale en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

## make worker: the Celery worker with the scheduler, alone (make run starts it for you).
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A lyushunkou worker --beat --loglevel INFO --concurrency 2

clean-venv:
	rm -rf $(VENV)
