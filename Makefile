# `make serve` runs the server; `make test` sets up everything on a fresh machine and runs
# the whole suite. Extra server flags: make serve ARGS="--port 5007".
# The browser tests (tests/browser/) and `make gallery` need Debian's Chromium at
# /usr/bin/chromium: installed here with apt when missing (as root), never downloaded otherwise.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=900

.PHONY: setup serve test bench gallery chromium clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,charts,sampledata]'
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/plotserver $(ARGS)

# Ensures Debian's Chromium (apt-get update only when the install fails); fails if it is still
# missing, so browser tests are never silently skipped.
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ]; then \
	  echo "$(CHROMIUM) is missing: installing Debian's chromium for the browser tests"; \
	  $(APT_GET) install -y chromium || { $(APT_GET) update && $(APT_GET) install -y chromium; }; \
	fi; \
	if [ ! -x $(CHROMIUM) ]; then \
	  echo "error: $(CHROMIUM) is missing and could not be installed; the browser tests need it" \
	       "(as root: apt-get install chromium)" >&2; \
	  exit 1; \
	fi

test: $(STAMP) chromium
	@if command -v node >/dev/null 2>&1; then node --test tests/js/; \
	 else echo "node not found: skipping the JavaScript unit tests"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

# Screenshots of every fixture document's pages next to the original's: gallery/index.html.
gallery: $(STAMP) chromium
	$(PY) scripts/gallery.py $(GALLERY_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/server_bench.py
	$(PY) benchmarks/client_bench.py
	$(PY) benchmarks/browser_bench.py

clean:
	rm -rf $(VENV) .pytest_cache gallery tests/browser/screenshots
