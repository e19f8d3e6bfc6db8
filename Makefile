# Two commands do all the set-up on a fresh machine (both idempotent):
#   make demo   -> virtualenv + project + a Chromium, then the main job against the embedded replica
#   make test   -> same set-up, then the whole test suite (CI's .ci/run calls this)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup browser demo test test-fast test-generated bench replica clean

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Finds or installs a Chromium: ASSISTANT_CHROMIUM, Playwright's own, a system Chromium,
# Debian's chromium via apt-get when root, else says what to install.
browser: $(STAMP)
	@$(PY) -m assistant.browser --ensure

# on a throwaway replica state: the six steps every time (the demo family is never already adhered),
# and the agent's training state (assistant replica, --replica runs) is left as it was
demo: setup
	@state=$$(mktemp -d) && ASSISTANT_REPLICA_STATE="$$state" $(VENV)/bin/assistant adhesion --replica --yes \
		--report-dir reports/demo; rc=$$?; rm -rf "$$state"; exit $$rc

# two workers: most of a journey is waiting for pages, and the machines here have two cores;
# the 15 slowest tests and modules are printed at the end (pytest's cache is on: --lf, --ff, --sw work)
test: setup
	$(VENV)/bin/pytest -n 2 --durations=15

# the tier to run while working (under a minute): no browser, no process started, no matrix nor
# generated markup (markers: tests/conftest.py); `live` stays out as in addopts (-m replaces it)
test-fast: setup
	$(VENV)/bin/pytest -n 2 -q -m "not live and not browser and not process and not slow"

# the journeys on hundreds of generated compositions of the replica (the suite runs a few dozen):
# GENERATED_EXAMPLES examples per journey, a new random draw each time (add --hypothesis-seed=S to repeat one)
GENERATED_EXAMPLES ?= 300
test-generated: setup
	GENERATED_EXAMPLES=$(GENERATED_EXAMPLES) $(VENV)/bin/pytest -n 2 tests/generated -m slow

bench: setup
	$(PY) bench/replica.py
	$(PY) bench/journey.py
	$(PY) bench/invoices.py
	$(PY) bench/monitor.py

replica: setup
	$(VENV)/bin/assistant replica

clean:
	rm -rf $(VENV) reports build *.egg-info
