# Two commands a newcomer needs: `make reproduce` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install data test test-fast lint reproduce quick bench clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes. torch is pinned and installed first so that pip
# takes the CPU build on this disk and never pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Fashion-MNIST: already found (data dir, Debian package, cache)? Else the Debian package when
# we are root on Debian, else a verified download into the cache.
data: install
	@if $(BIN)/dlbasics data info >/dev/null 2>&1; then \
		echo "data: Fashion-MNIST and Ames found and verified"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq dataset-fashion-mnist || \
		{ apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist; }; \
	else \
		$(BIN)/dlbasics data fetch; \
	fi
	@$(BIN)/dlbasics data info

test: install data
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not realdata"

# lint-imports checks the layers of docs/architecture.md (contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

reproduce: install data
	$(BIN)/dlbasics reproduce

quick: install data
	$(BIN)/dlbasics reproduce --quick --out report-quick

bench: install data
	$(BIN)/dlbasics bench

clean:
	rm -rf $(VENV) runs report report-quick .pytest_cache .mypy_cache .ruff_cache
