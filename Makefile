# Doorstep (家门口). `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000
export PORT

.PHONY: setup dev run test lint demo clean

# Runtime packages only for `make run` (visible progress, binary wheels, the venv's own pip:
# upgrading it first cost a download and a reinstall); test tools come with `make dev`.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --prefer-binary --disable-pip-version-check -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(DEV_STAMP)

setup: $(STAMP)

# `make run` / `make demo` are the local demo: DEBUG=1 on purpose, with local keys written to
# var/keys.env once (make syntax; production sets its own keys, see docs/security.md).
-include var/keys.env
var/keys.env:
	mkdir -p var
	$(PYTHON) -c 'import secrets; [print(f"export {k} := {secrets.token_urlsafe(50)}") for k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")]' > $@
run demo: export DEBUG = 1

dev: $(DEV_STAMP)

# The routing model trains in the background (`tick`, log in var/train.log) while the site is up;
# `worker` (var/worker.log) sends notifications and writes background exports.
run: setup
	@echo "演示模式：DEBUG=1，本地密钥 var/keys.env — 不可用于生产环境"
	mkdir -p var
	$(BIN)/doorstep migrate --noinput
	$(BIN)/doorstep demo --no-train --progress
	$(BIN)/doorstep tick > var/train.log 2>&1 &
	$(BIN)/doorstep worker > var/worker.log 2>&1 &
	$(BIN)/doorstep runserver 127.0.0.1:$(PORT)

demo: setup
	$(BIN)/doorstep migrate --noinput
	$(BIN)/doorstep demo --progress

lint: dev
	$(BIN)/ruff check doorstep bench
	$(BIN)/ruff format --check doorstep bench
	$(BIN)/mypy doorstep bench

test: dev lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var
