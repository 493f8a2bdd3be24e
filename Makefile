# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A stamp per install flavour, redone when pyproject.toml changes.
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
DEMO_DIR ?= .demo-data
# The compiled catalogues (build products, not committed): redone when their .po changes.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard msptui/locale/*/LC_MESSAGES/msptui.po))

.PHONY: run test check lint bench demo screenshot docs clean catalogue

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
run: $(APP_STAMP) $(CATALOGUES)
	$(BIN)/msptui $(ARGS)

## Run the checks (lint, format, types, layer contracts), then the whole test suite.
test: lint $(CATALOGUES)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## The inner loop: the checks and the fast tests (no pilot, snapshot or process tests).
check: lint $(CATALOGUES)
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not ui" $(PYTEST_ARGS)

## ruff (lint and format), mypy (strict, see pyproject.toml) and import-linter's layer contracts.
lint: $(TEST_STAMP)
	$(BIN)/ruff check msptui tests bench
	$(BIN)/ruff format --check msptui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## Measure the quality bars of shared/DESIGN.md and print one table (BENCH_ARGS="--idle-seconds 15 --runs 7", see README).
bench: $(TEST_STAMP) $(CATALOGUES)
	$(BIN)/python -m bench $(BENCH_ARGS)

## Start msptui on a throw-away demo folder filled with the sample data.
demo: $(APP_STAMP) $(CATALOGUES)
	$(BIN)/msptui demo --data-dir $(DEMO_DIR)
	$(BIN)/msptui --data-dir $(DEMO_DIR)

## Regenerate docs/board.svg, the README's screenshot of the board on the sample data.
screenshot: $(APP_STAMP)
	$(BIN)/python -m msptui.ui.screenshot docs/board.svg

%.mo: %.po $(APP_STAMP)
	@# As hatch_build.py does: Babel's compile checks printf formats, and "{percent} % used" is not one.
	$(BIN)/python -c "import sys; from babel.messages.pofile import read_po; from babel.messages.mofile import write_mo; \
	catalog = read_po(open(sys.argv[1], 'rb')); write_mo(open(sys.argv[2], 'wb'), catalog)" $< $@

## Extract the strings wrapped in _() into the catalogues (then translate the new French entries).
catalogue: $(APP_STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k NC_:1c,2 --no-wrap --sort-by-file --project msptui -o msptui/locale/msptui.pot msptui
	$(BIN)/pybabel --quiet update --no-wrap --no-fuzzy-matching -D msptui -d msptui/locale -i msptui/locale/msptui.pot --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

## Draw docs/report-sample.png again, the README's picture of a service report (needs pdftoppm).
docs: $(TEST_STAMP)
	$(BIN)/python docs/report_sample.py

