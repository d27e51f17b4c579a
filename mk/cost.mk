# `make cost`: what an environment will cost per month (tools/cost), from its cdk.json settings as
# config.Parse defaults them (go run ./cmd/envconfig), the measured figures (tools/cost/figures.json,
# rewritten by make bench-etl and make query-cost) and dated prices (tools/cost/prices.json).
#   test-cost -> the formulas' unit tests, then `make cost` for every environment of cdk.json
TEST_TARGETS += test-cost

EVENTS_PER_DAY          ?=
MONTHS                  ?= 12
DASHBOARD_VIEWS_PER_DAY ?=
QUICKSIGHT_AUTHORS      ?= 0
QUICKSIGHT_READERS      ?= 0
FORCE_INGESTION         ?=
# Space-separated name=value overrides of figures.json, e.g. SET="crawler_dpus=1 raw_objects_gzip=false"
SET                     ?=
# The volume `make test` prices every environment at.
TEST_COST_EVENTS_PER_DAY := 10M
COST = PYTHONPATH=$(ROOT)/tools GO="$(GO)" $(PYTHON) -m cost

.PHONY: cost test-cost

cost: venv ## monthly cost of one environment: make cost ENV=prod EVENTS_PER_DAY=10M [MONTHS=12 DASHBOARD_VIEWS_PER_DAY= QUICKSIGHT_AUTHORS= QUICKSIGHT_READERS= FORCE_INGESTION=1 SET="name=value"]
	@test -n "$(ENV)" && test -n "$(EVENTS_PER_DAY)" || \
		{ echo "usage: make cost ENV=<name> EVENTS_PER_DAY=<n, e.g. 10M> [MONTHS=12] [DASHBOARD_VIEWS_PER_DAY=n] [QUICKSIGHT_AUTHORS=n] [QUICKSIGHT_READERS=n] [FORCE_INGESTION=1] [SET=\"name=value ...\"]"; exit 2; }
	@$(COST) --env $(ENV) --events-per-day $(EVENTS_PER_DAY) --months $(MONTHS) \
		$(if $(DASHBOARD_VIEWS_PER_DAY),--dashboard-views-per-day $(DASHBOARD_VIEWS_PER_DAY)) \
		--authors $(QUICKSIGHT_AUTHORS) --readers $(QUICKSIGHT_READERS) $(if $(FORCE_INGESTION),--force-ingestion) \
		$(foreach s,$(SET),--set $(s))

# Each environment's full report goes to build/cost/<env>.txt; its last line is printed.
test-cost: venv
	GO="$(GO)" $(PYTHON) -m pytest -q -p no:cacheprovider tools/cost/tests
	@mkdir -p build/cost
	@envs=$$($(GO) run ./cmd/envconfig -names); for env in $$envs; do \
		$(MAKE) --no-print-directory cost ENV=$$env EVENTS_PER_DAY=$(TEST_COST_EVENTS_PER_DAY) > build/cost/$$env.txt; \
		echo "make cost ENV=$$env EVENTS_PER_DAY=$(TEST_COST_EVENTS_PER_DAY): $$(tail -n 1 build/cost/$$env.txt)"; \
	done
