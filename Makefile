# edugov: two commands. `make demo` sets up and serves the demo district; `make test` sets up and
# passes the tests. Everything else here is what those two need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.edugov-installed
ADDR ?= 127.0.0.1:8000

.PHONY: demo test bench lint messages clean setup

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "edugov needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing edugov and its dependencies into $(VENV) ..."
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/edugov buildmessages >/dev/null

demo: setup
	$(BIN)/edugov demo --addr $(ADDR)

test: setup
	@bash scripts/test.sh

lint: setup
	@bash scripts/test.sh --lint-only

bench: setup
	@bash scripts/bench.sh

clean:
	rm -rf var/ var-witness/ .pytest_cache .mypy_cache .ruff_cache test-artifacts
