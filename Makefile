# 双鸭山市政务管理平台 — make run (serve with demo data) · make test (lint + whole suite, browser tests included)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format test-deps papers migrate demo worker beat backup restore bench loadtest ha ha-drill audit clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# xstatic-bootstrap 5 ships only as an sdist whose setup needs pkg_resources (setuptools < 81).
	$(PIP) install -q "setuptools<81" wheel
	$(PIP) install -q --no-build-isolation "xstatic-bootstrap>=5.3"
	$(PIP) install -q -e ".[dev]"
	touch $(STAMP)

# The browser assets the site serves itself (Apache ECharts) and the tests' axe-core, from npm into
# node_modules/; Debian's nodejs and npm are installed first when missing.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_gazette
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "平台地址：http://$(HOST)/   （演示账号见上方列表，密码见 README）"
	$(PY) manage.py runserver $(HOST)

# Debian's chromium with a Chinese font (fonts-noto-cjk) for the browser tests, redis-server for the worker
# tests, and LibreOffice (writer and calc, no GUI) with poppler-utils to print the generated papers to PDF and
# PNG; installed only when missing. The papers are printed in the Simplified Chinese Noto faces, taken out of
# Debian's collections once (scripts/cjk_sc_fonts.py: the collections name every face after the Japanese one).
SC_FONTS := /usr/local/share/fonts/noto-cjk-sc
test-deps: $(STAMP)
	@{ command -v chromium && command -v redis-server && command -v soffice && command -v pdftoppm \
	   && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk redis-server >/dev/null \
	  && $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui \
	    poppler-utils >/dev/null; }
	@test -f $(SC_FONTS)/NotoSansCJKsc-Regular.otf || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO $(PY) scripts/cjk_sc_fonts.py $(SC_FONTS); }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r config orgs awards investment chiefservice sprouts security

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two workers (pytest-xdist); each test file runs on one worker (its module fixtures set up once).
PYTEST_WORKERS ?= 2
test: install test-deps lint
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

worker: install
	$(VENV)/bin/celery -A config worker -l info

beat: install
	$(VENV)/bin/celery -A config beat -l info

backup: install
	$(PY) manage.py platform_backup

# make restore BACKUP=var/backups/<folder>
restore: install
	@test -n "$(BACKUP)" || { echo "用法：make restore BACKUP=var/backups/<备份目录>"; exit 2; }
	$(PY) manage.py platform_restore "$(BACKUP)"

$(VENV)/.bench-installed: $(STAMP)
	$(PIP) install -q -e ".[dev,bench]"
	touch $@

# make bench SCALE=S|L (database from DATABASE_URL): writes bench/results.json and prints the table.
SCALE ?= S
bench: $(VENV)/.bench-installed
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_gazette
	$(PY) manage.py bench_seed --scale $(SCALE) --if-empty
	$(PY) manage.py bench_run --scale $(SCALE)

# The production stack on loopback (gunicorn + PostgreSQL + Redis + Celery) under locust; data at SCALE (L).
loadtest: $(VENV)/.bench-installed
	SCALE=$(or $(filter S L,$(SCALE_LOADTEST)),L) bash scripts/loadtest.sh

# The redundant topology on loopback (docs/deployment.md): two nodes behind HAProxy, PostgreSQL primary +
# synchronous hot standby with WAL archiving, Redis, moto's S3 server; haproxy, postgresql and redis-server
# come from Debian when missing (scripts/ha.sh). make ha-drill runs the failure drill (under 10 minutes).
$(VENV)/.ha-installed: $(STAMP)
	$(PIP) install -q -e ".[dev,bench,ha]"
	touch $@

ha: $(VENV)/.ha-installed
	bash scripts/ha.sh

ha-drill: $(VENV)/.ha-installed
	timeout 600 bash scripts/ha_drill.sh

audit: install
	$(PIP) install -q pip-audit
	$(VENV)/bin/pip-audit

clean:
	rm -rf $(VENV) var/db.sqlite3
