# Luminous Admin — developer tasks. Needs GNU Make and Python >= 3.12.
#
#   make run      migrate, create the local admin + Sandbox connection, serve on 127.0.0.1:8000
#   make test     run the test suite (extra args: make test PYTEST_ARGS="-k foo -x")
#   make lint     ruff check + ruff format --check
#   make format   sort imports and reformat with ruff
#   make bench    run every tests/benchmarks/bench_*.py and print one summary table
#   make clean    remove the virtualenv and caches (keeps var/, the local data)
#
# Python is picked by .ci/find-python (override with PYTHON=/path/to/python3.12);
# the virtualenv location with VENV=/some/dir.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# make run PORT=8010 when 8000 is taken.
PORT ?= 8000

export PYTHON

.PHONY: help venv run test lint format bench clean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# Create the virtualenv (only if missing or unusable) and install the project.
# Re-runs only when pyproject.toml or this Makefile is newer than the stamp.
$(STAMP): pyproject.toml Makefile
	@set -e; \
	if [ -x "$(VENV_PY)" ] && PYTHON="$(VENV_PY)" bash .ci/find-python >/dev/null 2>&1; then \
		echo "Reusing $(VENV) ($$($(VENV_PY) -V))"; \
	else \
		py=$$(bash .ci/find-python); \
		echo "Creating $(VENV) with $$py"; \
		"$$py" -m venv --clear "$(VENV)"; \
	fi; \
	echo "Installing .[dev,postgres,server] into $(VENV)"; \
	"$(VENV_PY)" -m pip install --quiet --disable-pip-version-check -e '.[dev,postgres,server]'; \
	touch "$(STAMP)"

venv: $(STAMP)

run: $(STAMP)
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py setup_local
	$(VENV_PY) manage.py runserver 127.0.0.1:$(PORT)

# pytest exits 5 when no test ran: that is left to fail on purpose.
test: $(STAMP)
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

# Runs both checks, fails if either does.
lint: $(STAMP)
	@rc=0; \
	echo "$(VENV)/bin/ruff check ."; $(VENV)/bin/ruff check . || rc=1; \
	echo "$(VENV)/bin/ruff format --check ."; $(VENV)/bin/ruff format --check . || rc=1; \
	exit $$rc

format: $(STAMP)
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

# Figures, not tests: each script prints its own, then one summary table.
bench: $(STAMP)
	$(VENV_PY) tests/benchmarks/run_all.py

clean:
	rm -rf "$(VENV)" .pytest_cache .ruff_cache build *.egg-info
	find . -path ./.git -prune -o -path "./$(VENV)" -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +
