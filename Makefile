# Two commands for a fresh machine with Python 3.11+:  make report  |  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test lint lab bench clean help

help:
	@echo "make report   import the sample and render the demo reports (2019-H1, 2026-H1) into reports/"
	@echo "make test     run the tests (lint included)"
	@echo "make lab      open JupyterLab on notebooks/"
	@echo "make bench    run the benchmarks"

$(STAMP): pyproject.toml setup.py jupyter-config/jupyter_nbconvert_config.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "khanalytics needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# nbconvert's config for this environment (a wheel installs it; setuptools skips data files when editable)
	mkdir -p $(VENV)/etc/jupyter && cp jupyter-config/jupyter_nbconvert_config.json $(VENV)/etc/jupyter/
	touch $(STAMP)

STORE ?= data/khanalytics.duckdb
DEMO_PERIODS ?= 2019-H1 2026-H1

report: $(STAMP)
	$(BIN)/khanalytics import data/sample/bao_cao_*.xlsx data/published/published_figures.csv --store $(STORE)
	$(BIN)/khanalytics summary --cluster dong-bac --period 2019-H1 --store $(STORE)
	for p in $(DEMO_PERIODS); do $(BIN)/khanalytics render-all --period $$p --store $(STORE) -o reports || exit 1; done
	@echo "Mở / open: reports/2019-H1/index.html, reports/2026-H1/index.html"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check khanalytics tests benchmarks scripts

lab: $(STAMP)
	$(BIN)/khanalytics import data/sample/bao_cao_*.xlsx data/published/published_figures.csv --store $(STORE)
	$(BIN)/python -m jupyter lab --notebook-dir=. notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/render.py --baseline-sample 6

clean:
	rm -rf $(VENV) reports .pytest_cache
