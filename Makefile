# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A stamp per install flavour, redone when pyproject.toml changes.
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
DEMO_DIR ?= .demo-data

.PHONY: run test check lint bench demo screenshot docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(APP_STAMP)

## Start msptui on your own data folder (see README for MSPTUI_DATA_DIR / --data-dir).
run: $(APP_STAMP)
	$(BIN)/msptui $(ARGS)

## Run the checks (lint, format, types, layer contracts), then the whole test suite.
test: lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## The inner loop: the checks and the fast tests (no pilot, snapshot or process tests).
check: lint
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not ui" $(PYTEST_ARGS)

## ruff (lint and format), mypy (strict, see pyproject.toml) and import-linter's layer contracts.
lint: $(TEST_STAMP)
	$(BIN)/ruff check msptui tests bench
	$(BIN)/ruff format --check msptui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## Measure the quality bars of shared/DESIGN.md and print one table (BENCH_ARGS="--idle-seconds 15 --runs 7", see README).
bench: $(TEST_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

## Start msptui on a throw-away demo folder filled with the sample data.
demo: $(APP_STAMP)
	$(BIN)/msptui demo --data-dir $(DEMO_DIR)
	$(BIN)/msptui --data-dir $(DEMO_DIR)

## Regenerate docs/board.svg, the README's screenshot of the board on the sample data.
screenshot: $(APP_STAMP)
	$(BIN)/python -m msptui.ui.screenshot docs/board.svg

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

## Draw docs/report-sample.png again, the README's picture of a service report (needs pdftoppm).
docs: $(TEST_STAMP)
	$(BIN)/python docs/report_sample.py

