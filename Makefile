# The two commands of the README: `make run` and `make test`. Each installs what is missing.
# `make cluster` / `make test-cluster`: the scaled topology on a real Temporal server (deploy/README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLCHAIN := scripts/temporal-toolchain.sh
INSTALLED := node_modules/.installed

.PHONY: help install build run run-api run-worker cluster cluster-deps test test-deps test-cluster typecheck lint bench clean

help:
	@echo "make run   - start Temporal dev server + UI, worker and API (embedded default)"
	@echo "make test  - install what is missing and run lint, typecheck and the test suite (and test-cluster)"
	@echo "make cluster      - PostgreSQL + Temporal server + Redis, 2 workers and the API; Ctrl-C stops it"
	@echo "make test-cluster - HTTP end-to-end tests against that topology (kills a worker mid-delivery)"
	@echo "make bench - measure flows/s and latency (see bench/RESULTS.md)"

# Installs exactly the lockfile's versions, only when it changed since the last install (`npm ci`
# would wipe node_modules every time). The lockfile lists every platform's optional packages
# (@swc/core-*, …) as npm writes them, so `npm install` leaves it unchanged.
$(INSTALLED): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

install: $(INSTALLED)

build: install
	npm run build --silent

run: build
	@$(TOOLCHAIN) dev-server >/dev/null
	node dist/src/bin/dev.js

run-api: build
	node dist/src/bin/api.js

run-worker: build
	node dist/src/bin/worker.js

# PostgreSQL (Debian), the Temporal server + temporal-sql-tool (Go module proxy) and the Temporal
# CLI that registers the namespace: each installed or built once per machine.
cluster-deps: install
	@scripts/install-test-deps.sh --cluster
	@$(TOOLCHAIN) cluster >/dev/null
	@$(TOOLCHAIN) dev-server >/dev/null

# In the foreground; state in $$CLUSTER_DIR (default $$DATA_DIR/cluster), see scripts/cluster.sh.
cluster: build cluster-deps
	@scripts/cluster.sh

# Debian packages (redis-server, postgresql) and every Temporal server the tests need: the dev
# server (CLI), the time-skipping test server, the real server and temporal-sql-tool; Prometheus
# and promtool (the alert rules' tests, the cluster's scrape: scripts/prometheus-toolchain.sh).
test-deps: install
	@scripts/install-test-deps.sh --cluster
	@$(TOOLCHAIN) all >/dev/null
	@scripts/prometheus-toolchain.sh all >/dev/null
	@scripts/client-toolchains.sh all >/dev/null

typecheck: install
	npm run typecheck --silent

lint: install
	npm run lint --silent

# `build` typechecks as `typecheck` does (same tsconfig) and gives the cluster tests their dist/.
test: test-deps build lint
	npx jest --ci
	npx jest -c jest.cluster.config.js --ci

# Each test file starts its own cluster (fresh state directory, free ports) and stops it.
test-cluster: build cluster-deps
	@scripts/prometheus-toolchain.sh all >/dev/null
	npx jest -c jest.cluster.config.js --ci

bench: build
	@$(TOOLCHAIN) dev-server >/dev/null
	npm run bench --silent

clean:
	rm -rf dist
