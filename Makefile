# Developer entry points for hoso. GNU make.
#   make setup   create .venv and install hoso with its dev extras (again only when pyproject changes)
#   make run     create/upgrade the database, load the demo district if empty, serve on :5000
#   make test    ruff, import-linter, pytest on all cores (PYTEST_ARGS="-k foo -x" passes arguments;
#                PYTEST_WORKERS=0 runs pytest in one process)
#   make bench   run the benchmarks
#   make lint    ruff check; make format: ruff format and fix imports
#   make clean   remove the install stamp, instance/, caches and build artefacts

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist: one worker per core; loadgroup keeps each xdist_group (the browser tests) on one
# worker, so that its Chromium and live servers start once (see tests/web/browser/conftest.py).
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help setup run test bench lint format clean messages translations

help:
	@sed -n '2,8s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

setup: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

run: setup
	$(BIN)/hoso init
	$(BIN)/hoso demo --if-empty
	$(BIN)/hoso run

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m benchmarks

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

# make messages: extract the msgids and update the Vietnamese catalog; make translations: compile it
messages: setup
	scripts/i18n extract

translations: setup
	scripts/i18n compile

clean:
	rm -f $(STAMP)
	rm -rf instance/ .pytest_cache/ .ruff_cache/ .import_linter_cache/ build/ dist/ *.egg-info/ .coverage htmlcov/
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
