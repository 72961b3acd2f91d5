# The two commands of the README: `make run` and `make test`. Each installs what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLCHAIN := scripts/temporal-toolchain.sh
INSTALLED := node_modules/.installed

.PHONY: help install build run run-api run-worker test test-deps typecheck lint bench clean

help:
	@echo "make run   - start Temporal dev server + UI, worker and API (embedded default)"
	@echo "make test  - install what is missing and run lint, typecheck and the test suite"
	@echo "make bench - measure flows/s and latency (see bench/RESULTS.md)"

# Installs exactly the lockfile's versions, only when it changed since the last install. Not
# `npm ci`: the registries these machines reach serve only linux-x64 builds of platform packages
# (@swc/core-*, …), so no lockfile made here can list the others, and `npm ci` refuses a lockfile
# without them. `npm install` honours the lockfile and leaves it unchanged.
$(INSTALLED): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

install: $(INSTALLED)

build: install
	npm run build --silent

run: build
	@$(TOOLCHAIN) dev-server >/dev/null
	node dist/src/dev.js

run-api: build
	node dist/src/api.js

run-worker: build
	node dist/src/worker.js

# Debian packages and both Temporal servers the tests need.
test-deps: install
	@scripts/install-test-deps.sh
	@$(TOOLCHAIN) all >/dev/null

typecheck: install
	npm run typecheck --silent

lint: install
	npm run lint --silent

test: test-deps typecheck lint
	npx jest --ci

bench: build
	@$(TOOLCHAIN) dev-server >/dev/null
	npm run bench --silent

clean:
	rm -rf dist
