# Glue ETL targets; included by the top-level Makefile (make runs from the repo root).
# Uses $(PYTHON) (virtualenv python), $(GO) and the `venv` target from the top-level Makefile.
# Defaults below let `make -f glue-scripts/glue.mk <target>` work on its own.
PYTHON ?= $(CURDIR)/.venv/bin/python
GO ?= go
# A recipe-less rule only adds to the top-level `venv` rule (no override warning); alone it is a no-op.
venv:

GLUE_DIR := $(CURDIR)/glue-scripts
# sample-data defaults: ~100 k raw lines over 7 days; shares are per valid event (bots: per visitor).
OUT ?= $(CURDIR)/build/sample-data
EVENTS ?= 100000
SEED ?= 42
DAYS ?= 7
BAD_SHARE ?= 0.02
DUPLICATE_SHARE ?= 0.03
BOT_SHARE ?= 0.05
LATE_SHARE ?= 0.05
# The benchmark's scale: its targets are judged at >= 1 M raw lines over >= 7 days.
BENCH_EVENTS ?= 1000000
BENCH_DAYS ?= 7
BENCH_DIR ?= $(CURDIR)/build/bench

.PHONY: test-glue test-glue-part1 test-glue-part2 etl-local forget sample-data bench-etl
TEST_TARGETS += test-glue

# The suite runs as two pytest processes, each with its own JVM, that split it module by module
# through a folder of claims (tests/conftest.py: CLAIMS): part 1 takes the modules from the
# first, part 2 from the last, so every module runs once and both end at about the same time.
# make test runs one part in each lane (Makefile: test), part 2 once its lane's other stages are
# done, and runs ruff once, in lint (lint-python covers glue-scripts/ with its ruff.toml).
# make test-glue runs both parts at once: one pytest process keeps the two cores only ~75 % busy
# (a small batch is mostly the driver planning on one thread): 328 s as one process, 294 s as
# two, though the second JVM's JIT compiles the same code again (478 -> 569 s of CPU). The parts
# need the fresh claims folder one of these passes (GLUE_CLAIMS): left over from an earlier run,
# it would skip everything.
GLUE_PYTEST = cd $(GLUE_DIR) && GO="$(GO)" $(PYTHON) -m pytest -q --durations=15
GLUE_PART = test -n "$(GLUE_CLAIMS)" || { echo "$@ is a part of make test and make test-glue; run one of them"; exit 2; }; \
	mkdir -p "$(GLUE_CLAIMS)" && export GLUE_TEST_CLAIMS="$(GLUE_CLAIMS)" &&
GLUE_ALONE_CLAIMS := $(CURDIR)/build/glue-claims

test-glue: venv
	cd $(GLUE_DIR) && $(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check .
	rm -rf $(GLUE_ALONE_CLAIMS)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-glue-part1 test-glue-part2 GLUE_CLAIMS=$(GLUE_ALONE_CLAIMS)

test-glue-part1: venv
	$(GLUE_PART) $(GLUE_PYTEST) tests

test-glue-part2: venv
	$(GLUE_PART) export GLUE_TEST_CLAIM_ORDER=last && $(GLUE_PYTEST) tests

etl-local: venv ## one ETL batch on a local Spark: make etl-local INPUT=<raw dir> OUTPUT=<curated dir> [REFERENCE_TIME=…] [SESSION_TIMEOUT_MINUTES=…] [REPORTING_TIME_ZONE=…]
	@test -n "$(INPUT)" && test -n "$(OUTPUT)" || \
		{ echo "usage: make etl-local INPUT=<raw dir> OUTPUT=<curated dir> [REFERENCE_TIME=<ISO-8601>] [SESSION_TIMEOUT_MINUTES=<n>] [REPORTING_TIME_ZONE=<IANA zone, default UTC>]"; exit 2; }
	$(PYTHON) -m clickstream_etl.local --input "$(abspath $(INPUT))" --output "$(abspath $(OUTPUT))" \
		$(if $(REFERENCE_TIME),--reference-time "$(REFERENCE_TIME)") \
		$(if $(SESSION_TIMEOUT_MINUTES),--session-timeout-minutes $(SESSION_TIMEOUT_MINUTES)) \
		$(if $(REPORTING_TIME_ZONE),--reporting-time-zone "$(REPORTING_TIME_ZONE)")

forget: venv ## erase visitors locally: make forget REQUESTS=<JSON lines file or folder> OUTPUT=<curated dir> INPUT=<raw dir>
	@test -n "$(REQUESTS)" && test -n "$(OUTPUT)" && test -n "$(INPUT)" || \
		{ echo "usage: make forget REQUESTS=<requests file or folder> OUTPUT=<curated dir> INPUT=<raw dir>"; exit 2; }
	cd $(GLUE_DIR) && $(PYTHON) -m clickstream_etl.local_forget --requests "$(abspath $(REQUESTS))" \
		--input "$(abspath $(INPUT))" --output "$(abspath $(OUTPUT))"

sample-data: venv
	cd $(GLUE_DIR) && $(PYTHON) -m datagen.generate --out "$(abspath $(OUT))" --events $(EVENTS) --seed $(SEED) \
		--days $(DAYS) --bad-share $(BAD_SHARE) --duplicate-share $(DUPLICATE_SHARE) --bot-share $(BOT_SHARE) \
		--late-share $(LATE_SHARE)

# The result also updates the measured figures `make cost` prices with (tools/cost/figures.json).
bench-etl: venv
	cd $(GLUE_DIR) && $(PYTHON) -m bench.etl_bench --events $(BENCH_EVENTS) --days $(BENCH_DAYS) --work "$(abspath $(BENCH_DIR))" \
		--json "$(abspath $(BENCH_DIR))/result.json"
	PYTHONPATH=$(CURDIR)/tools $(PYTHON) -m cost.figures bench "$(abspath $(BENCH_DIR))/result.json"
