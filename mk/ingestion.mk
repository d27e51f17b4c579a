# The way in: the collector, the browser tracker and their local stand-ins.
#   browser        -> Debian's chromium and chromium-driver for the browser test (apt-get, once)
#   collect-local  -> the real collector handler and the fixture shop on 127.0.0.1, writing raw files
#                     as the delivery stream would; stop it with Ctrl-C or SIGTERM (it writes its buffer)
#   test-tracker   -> tracker.js unit tests (node --test) and the browser-to-Parquet test
TEST_TARGETS += test-tracker

CHROMIUM     ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
# apt-get needs root; as another user it runs through sudo.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: browser collect-local test-tracker

browser: ## install Debian's chromium and chromium-driver for the browser test (skipped when installed)
	@if [ -x "$(CHROMIUM)" ] && [ -x "$(CHROMEDRIVER)" ]; then \
	  echo "browser: $$("$(CHROMEDRIVER)" --version)"; \
	else \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
	    -o DPkg::Lock::Timeout=600 chromium chromium-driver; \
	fi

# OUTPUT and PORT default here, not globally: etl-local's OUTPUT must stay required.
collect-local: go-deps ## serve the collector and a demo shop: make collect-local [PORT=8765] [OUTPUT=build/collected]
	$(GO) build -o build/bin/collect-local ./cmd/collect-local
	exec build/bin/collect-local -addr 127.0.0.1:$(or $(PORT),8765) -output "$(or $(OUTPUT),build/collected)"

test-tracker: node-deps go-deps venv browser
	GO="$(GO)" node --test tracker/test/*.test.mjs
	GO="$(GO)" CHROMIUM="$(CHROMIUM)" CHROMEDRIVER="$(CHROMEDRIVER)" \
	  $(PYTHON) -m pytest -q -p no:cacheprovider tracker/tests
