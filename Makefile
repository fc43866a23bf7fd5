# Jiju: `make demo` to try it, `make test` to check it. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock demo test lint fuzz bench messages screenshots clean

PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p var && test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(BIN)/jiju migrate --noinput
	$(BIN)/jiju demo --if-empty
	$(BIN)/jiju db_worker --no-startup-delay & worker=$$!; \
	$(BIN)/python -c "import time, urllib.request as u; exec('for _ in range(120):\n try:\n  u.urlopen(\'http://$(HOST):$(PORT)/login/\', timeout=2); break\n except Exception:\n  time.sleep(1)')" \
	  && echo "集聚已启动：http://$(HOST):$(PORT)/  （演示账号见上表，密码 jiju2026）；后台任务由 db_worker 执行" & \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	JIJU_SERVE_STATIC=1 $(BIN)/jiju runserver $(HOST):$(PORT)

# Resolve every dependency afresh within pyproject's bounds and pin the result in constraints.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	( echo "# Pinned by \`make lock\` on $$(date -u +%F) with $$(.lock-venv/bin/python -V); \`make\` and .ci/run install from it."; \
	  .lock-venv/bin/pip freeze --exclude-editable --disable-pip-version-check | LC_ALL=C sort -f ) > constraints.txt
	rm -rf .lock-venv

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# The API campaign at length (`make test` runs it with 20 cases per operation, role and mode).
FUZZ_EXAMPLES ?= 100
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q tests/api/test_fuzz.py

bench: install
	$(PIP) -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_evaluation.py
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_export.py

messages: install
	cd src/jiju && ../../$(BIN)/jiju makemessages -l en --ignore '*/migrations/*' && ../../$(BIN)/jiju compilemessages

screenshots: install
	$(BIN)/python scripts/screenshots.py http://$(HOST):$(PORT) docs/screenshots

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
