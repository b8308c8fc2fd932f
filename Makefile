# Siyu — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: setup demo test test-fast bench lint browser wrk clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip wheel
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# Debian's chromium for the simulator's browser test (playwright's own download is unreachable here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || \
	  echo "WARNING: could not install chromium; browser tests will be skipped"; }

demo: setup
	$(BIN)/siyu demo --host $(HOST) --port $(PORT)

test: setup browser
	$(BIN)/lint-imports --config pyproject.toml
	@# one rerun absorbs a test that lost a race with this 2-core machine; reruns show as R in the output
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup -m "not bench" --reruns 1 --reruns-delay 2 -rR
	@echo "== compliance check against a freshly seeded demo shop"
	@d=$$(mktemp -d); export SIYU_DATA_DIR=$$d SIYU_DATABASE__URL=; \
	  $(BIN)/siyu demo --prepare-only >$$d/prepare.log 2>&1 || { tail -20 $$d/prepare.log; exit 1; }; \
	  $(BIN)/siyu compliance check; rc=$$?; rm -rf $$d; exit $$rc

test-fast: setup
	$(BIN)/python -m pytest -q -x -m "not bench and not slow"

# wrk drives the gateway bench (Debian package); without it bench/gateway.py falls back to a slower Python load generator.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian wrk for the gateway bench"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || \
	  echo "WARNING: could not install wrk; the gateway bench uses its Python load generator"; }

bench: setup wrk
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --config pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache
