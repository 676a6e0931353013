# `make serve` runs the server; `make test` sets up everything on a fresh machine and runs
# the whole suite. Extra server flags: make serve ARGS="--port 5007".
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup serve test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/plotserver $(ARGS)

test: $(STAMP)
	@if command -v node >/dev/null 2>&1; then node --test tests/js/; \
	 else echo "node not found: skipping the JavaScript unit tests"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/server_bench.py
	$(PY) benchmarks/client_bench.py

clean:
	rm -rf $(VENV) .pytest_cache
