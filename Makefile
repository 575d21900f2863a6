# Two set-up commands (README): `make run` and `make test`. Everything else is a helper they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock 2>/dev/null | cut -c1-12)

# Tests use their own database (pytest-django creates test_<name>) on the local PostgreSQL and
# Redis database 11; they never touch other data.
TEST_ENV := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/safeguarding} \
	REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/11} DJANGO_SETTINGS_MODULE=config.test_settings

.PHONY: install run test lint migrations-check unit smoke browser bench vendor lock clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## make run: the app on the embedded default (SQLite, a private Redis under var/ as task queue, e-mail
## to files) with demo data. scripts/supervise.py restarts any process that dies (docs/adr/0007).
run: install
	scripts/ensure-system-packages.sh runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$${BIND:-127.0.0.1:8000}; links in e-mails use $${SITE_URL:-http://$${BIND:-127.0.0.1:8000}}."
	@echo "Open that address and sign in with a demo user (see README). Ctrl-C stops everything."
	$(BIN)/python scripts/supervise.py -f Procfile

## make test: everything CI runs, installing what it needs first.
test: install
	scripts/ensure-system-packages.sh test
	scripts/ensure-services.sh
	$(MAKE) --no-print-directory lint migrations-check
	@# The smoke run of the embedded default mostly waits (for beat and the worker), so it runs
	@# beside the suites; its log is printed when it ends.
	@log=$$(mktemp); $(BIN)/python scripts/smoke_embedded.py > $$log 2>&1 & pid=$$!; \
	  $(MAKE) --no-print-directory unit browser; rc=$$?; \
	  wait $$pid; src=$$?; echo "== smoke run of the embedded default"; cat $$log; rm -f $$log; \
	  test $$rc -eq 0 -a $$src -eq 0

## make lint: ruff, mypy (config in pyproject.toml) and the dependency contract (import-linter).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

migrations-check: install
	@tmp=$$(mktemp -d) && VAR_DIR=$$tmp $(BIN)/python manage.py makemigrations --check --dry-run; rc=$$?; rm -rf $$tmp; exit $$rc

unit: install
	$(TEST_ENV) $(BIN)/pytest -n 2 -m "not browser and not celery" -q
	$(TEST_ENV) $(BIN)/pytest -m "celery" -q || [ $$? -eq 5 ]

smoke: install
	$(BIN)/python scripts/smoke_embedded.py

browser: install
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n 2 -m browser -q

bench: install
	scripts/ensure-services.sh
	@for b in bench/bench_*.py; do echo "== $$b"; $(TEST_ENV) $(BIN)/python $$b || exit 1; done

## Maintainer helpers (not needed to run or test).
vendor:
	scripts/vendor-frontend.sh

lock:
	$(BIN)/python -m pip install --quiet -r requirements.in
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) var staticfiles test-results .hypothesis
