# Trino, the engine Athena engine version 3 is built on: the SQL tests (mk/athena.mk) run every
# shipped SQL file on it. Installed from Maven Central (server core + the Hive connector plugin),
# each archive checked against the SHA-256 pinned here, into the ignored .cache/ folder.
#   trino -> $(TRINO_HOME) (bin/, lib/, plugin/hive/), linked as .cache/trino for tools/trino_local.py,
#            which finds a Java 24+ to run it
TRINO_VERSION := 476
TRINO_HOME    := $(ROOT)/.cache/trino-$(TRINO_VERSION)
TRINO_SERVER_SHA256 := 0f388f9967c177ae70a47c099082fc95387f0c3cb96d8000d1d41fc3a5223158
TRINO_HIVE_SHA256   := 611bacdb07d9f3cf7b9d47f97ecc76fa2e7ff8bfe8a9728c3d06adc1bfb8662e
MVN ?= mvn

.PHONY: trino

trino: $(TRINO_HOME)/.stamp ## install the pinned local Trino (server + Hive connector) the SQL tests run on
	@ln -sfn trino-$(TRINO_VERSION) $(ROOT)/.cache/trino

# mvn's local repository (~/.m2) keeps the downloads, so a second work tree only unpacks them.
$(TRINO_HOME)/.stamp: mk/trino.mk
	@command -v $(MVN) >/dev/null || { echo "trino: Maven ($(MVN)) is needed to fetch Trino $(TRINO_VERSION) from Maven Central"; exit 1; }
	rm -rf $(TRINO_HOME) $(TRINO_HOME).download
	mkdir -p $(TRINO_HOME).download
	for artifact in trino-server-core:$(TRINO_VERSION):tar.gz trino-hive:$(TRINO_VERSION):zip; do \
	  $(MVN) -B -q -C -Dstyle.color=never dependency:copy -Dartifact=io.trino:$$artifact -DoutputDirectory=$(TRINO_HOME).download \
	    || { echo "trino: could not download io.trino:$$artifact from Maven Central (see mvn's error above)"; exit 1; }; \
	done
	cd $(TRINO_HOME).download && printf '%s  %s\n' \
	  $(TRINO_SERVER_SHA256) trino-server-core-$(TRINO_VERSION).tar.gz \
	  $(TRINO_HIVE_SHA256) trino-hive-$(TRINO_VERSION).zip | sha256sum --check --quiet
	tar -xzf $(TRINO_HOME).download/trino-server-core-$(TRINO_VERSION).tar.gz -C $(TRINO_HOME).download
	$(PYTHON3) -m zipfile -e $(TRINO_HOME).download/trino-hive-$(TRINO_VERSION).zip $(TRINO_HOME).download
	mv $(TRINO_HOME).download/trino-server-core-$(TRINO_VERSION) $(TRINO_HOME)
	mv $(TRINO_HOME).download/trino-hive-$(TRINO_VERSION) $(TRINO_HOME)/plugin/hive
	rm -rf $(TRINO_HOME).download
	touch $@
