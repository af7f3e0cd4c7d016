# sshrealm — the two commands a newcomer needs are `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SOURCES := game economy reflection bridge tests bench

SYSTEM_TOOLS := tmux ssh node plink chromium chromedriver haproxy redis-server

.PHONY: run cluster test lint typecheck unit bench install clean system-tools vendor

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create the virtualenv and install sshrealm with its dev tools

run: $(STAMP)  ## Start the server on the defaults (SSH on 2222, data in ./var, world in ./content)
	$(BIN)/sshrealm serve

cluster: $(STAMP)  ## Try the scaled-out topology here: redis-server, a world, two gateways, haproxy (players on 2222)
	@{ command -v redis-server && { command -v haproxy || test -x /usr/sbin/haproxy; }; } >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server haproxy; }
	$(BIN)/sshrealm cluster

system-tools:  ## Debian tools the end-to-end tests drive (tmux, OpenSSH and PuTTY clients, Node.js, Chromium, HAProxy, Redis)
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || [ -x /usr/sbin/$$t ] || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq tmux openssh-client nodejs putty-tools chromium chromium-driver haproxy redis-server; \
	fi

test: system-tools lint typecheck unit  ## Lint, type-check and run the whole test suite

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(STAMP)  ## mypy (strict on economy/, bridge/, reflection/)
	$(BIN)/mypy

unit: $(STAMP)  ## pytest: unit, property and end-to-end tests
	$(BIN)/pytest

bench: $(STAMP)  ## Run the benchmarks; results land in bench/results/*.json
	$(BIN)/python -m bench

vendor:  ## Refresh the vendored browser libraries (xterm.js, its fit addon, axe-core) from npm
	sh game/fronts/web/static/vendor/update.sh

clean:  ## Remove the virtualenv and caches (keeps ./var)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
