# Homeroom: `make run` to try it, `make test` to test it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_STUDENTS ?= 600
export HOMEROOM_DEBUG ?= 1

.PHONY: run test install lint messages migrate demo worker serve test-postgres test-redis clean chromium fonts

$(STAMP): requirements/lock.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Homeroom needs $(PYTHON) on PATH"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "msgfmt is missing (sudo apt-get install gettext): pages stay in English until then"; fi; }
	@if command -v msgfmt >/dev/null; then $(BIN)/homeroom compilemessages --ignore=.venv -v0; fi

migrate: install
	@mkdir -p var
	$(BIN)/homeroom migrate --noinput -v0

demo: migrate
	$(BIN)/homeroom demo-setup --students $(DEMO_STUDENTS)

run: demo fonts
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/homeroom demo-logins
	@echo "Starting the background worker and the web server on http://$(HOST):$(PORT)/ (Ctrl-C stops both)"
	@# The worker runs without its auto-reloader: a reloader's child would outlive a stopped parent.
	@$(BIN)/homeroom db_worker --interval 1 --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  trap 'exit 0' INT TERM; \
	  $(BIN)/homeroom runserver $(HOST):$(PORT)

# Browser tests drive Debian's chromium at /usr/bin/chromium (never a downloaded browser).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }

# Letters in Chinese need a CJK font for WeasyPrint (Debian's fonts-noto-cjk); without it they print as boxes.
fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else echo "No Chinese font: sudo apt-get install fonts-noto-cjk (Chinese letters print as boxes until then)"; fi; }

test: install chromium fonts
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

test-redis: install
	@mkdir -p var
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} HOMEROOM_TEST_SQLITE=$(CURDIR)/var/test-redis.sqlite3 \
	  $(BIN)/python -m pytest -m redis -p no:xdist $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check homeroom tests bench
	$(BIN)/mypy homeroom

clean:
	rm -rf $(VENV) var
