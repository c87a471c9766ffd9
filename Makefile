# ClickCollect — the tasks. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
URL ?= http://127.0.0.1:5080

help:           ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

run:            ## build, migrate, seed the demo data, serve $(URL) (SQLite file data/clickcollect.db)
	Demo__Seed=true ConnectionStrings__ClickCollect="Data Source=$(CURDIR)/data/clickcollect.db" \
	dotnet run --project src/ClickCollect.Api --launch-profile ClickCollect -- --urls $(URL)

# The deploy's build (README, "Running for a network"): Release, compiled ahead of time (ReadyToRun, see the csproj), into
# $(PUBLISH) (deploy/systemd runs it from /opt/clickcollect: make publish PUBLISH=/opt/clickcollect).
PUBLISH ?= artifacts/publish
publish:        ## the app as deployed (Release, ReadyToRun) into $(PUBLISH) [PUBLISH=artifacts/publish]
	dotnet publish src/ClickCollect.Api -c Release -o $(PUBLISH)

build:          ## compile everything (openapi/v1.json is left as committed: see make openapi)
	dotnet build ClickCollect.sln

# Every test project: unit and HTTP tests on SQLite and on a throw-away PostgreSQL server, and the
# browser tests. One build, then both projects run at the same time (the browser tests mostly wait on
# Chromium, so this saves minutes on two cores); each writes its own log under artifacts/, joined in
# artifacts/test.log. Ends with one line "N passed, N failed, N skipped" summed over the projects.
TEST_PROJECTS := tests/ClickCollect.Tests tests/ClickCollect.BrowserTests
test:           ## every test (SQLite, PostgreSQL, browser); ends with "N passed, N failed, N skipped"
	@mkdir -p artifacts; dotnet build ClickCollect.sln > artifacts/build.log 2>&1 || { cat artifacts/build.log; exit 1; }; \
	pids=(); for project in $(TEST_PROJECTS); do \
	    dotnet test $$project --no-build > artifacts/test-$$(basename $$project).log 2>&1 & pids+=($$!); done; \
	status=0; for pid in "$${pids[@]}"; do wait $$pid || status=1; done; \
	cat $(foreach p,$(TEST_PROJECTS),artifacts/test-$(notdir $(p)).log) > artifacts/test.log; \
	cat artifacts/test.log; \
	grep -hE '^(hostile input|authorization matrix|burst behind a proxy|kill -9|axe-core|multi-instance|backup under load)' artifacts/reliability/*.txt 2>/dev/null || true; \
	awk '/(Passed|Failed|Skipped)! +- +Failed:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) { \
	    if ($$i == "Failed:") f += $$(i+1); if ($$i == "Passed:") p += $$(i+1); if ($$i == "Skipped:") s += $$(i+1) } } \
	    END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test.log; \
	exit $$status

# make bench (#17): the app (Release, Production settings) over HTTP beside a bare conditional insert on the same
# database, on SQLite and then on a throw-away PostgreSQL when Debian's server is installed, driven by wrk; then search,
# the slot calendar, a 500-line pick list, the figures, a surprise bundle, start-up and a morning-rush mix. About 3 minutes
# per database at 10 s per run on 2 idle cores; bench/results.md gets the tables.
BENCH_SECONDS ?= 10
BENCH_CONNECTIONS ?= 16,64,256
BENCH_DATABASES ?= sqlite,postgres
# The app measured is the deploy's build (make publish, into artifacts/bench-app), so start-up and memory are as shipped.
# BENCH_ONLY=booking,reads,startup,rush runs only those parts (the library is prepared and warmed up all the same).
BENCH_ONLY ?= all
bench:          ## HTTP benchmark, ratios to a bare insert in the same run; writes bench/results.md [BENCH_SECONDS=10 BENCH_CONNECTIONS=16,64,256 BENCH_DATABASES=sqlite,postgres BENCH_ONLY=all]
	@mkdir -p artifacts; $(MAKE) --no-print-directory publish PUBLISH=$(CURDIR)/artifacts/bench-app > artifacts/bench-publish.log 2>&1 \
	    || { cat artifacts/bench-publish.log; exit 1; }
	dotnet run -c Release --project tests/ClickCollect.Benchmarks -- --seconds $(BENCH_SECONDS) --connections $(BENCH_CONNECTIONS) --databases $(BENCH_DATABASES) \
	    --only $(BENCH_ONLY) --app $(CURDIR)/artifacts/bench-app/ClickCollect.Api.dll

bench-selection: ## the surprise-selection builder offline: quality on generated readers, latency against a plain sort (#7)
	dotnet run -c Release --project tests/ClickCollect.Benchmarks -- --selection-only

bench-figures:  ## the figures query in-process on 100,000 appointments against a bare grouped count (#11)
	dotnet run -c Release --project tests/ClickCollect.Benchmarks -- --figures-only

bench-marc:     ## the 200,000-record MARC import: records per second and peak memory (#12)
	dotnet run -c Release --project tests/ClickCollect.Benchmarks -- --marc-only

# --no-incremental: on an up-to-date build the generation step is skipped, and openapi-check would pass on a stale file.
openapi:        ## regenerate openapi/v1.json from the routes (commit the result)
	dotnet build src/ClickCollect.Api --no-incremental -p:OpenApiGenerateDocuments=true

openapi-check: openapi ## fail when the committed openapi/v1.json is stale
	git diff --exit-code -- openapi/

migrate:        ## apply db/<provider> to the configured database (Database__Provider, ConnectionStrings__ClickCollect)
	dotnet run --project src/ClickCollect.Api -- migrate

backup:         ## copy the SQLite database (data/clickcollect.db) to data/backups/clickcollect-<UTC date>.db, safe while serving (PostgreSQL: pg_dump, README)
	ConnectionStrings__ClickCollect="Data Source=$(CURDIR)/data/clickcollect.db" \
	dotnet run --project src/ClickCollect.Api -- backup $(CURDIR)/data/backups

FORMAT ?= csv
FULL ?= false
import-catalogue: ## import a catalogue: make import-catalogue FILE=export.mrc FORMAT=csv|marc21|unimarc|marcxml [FULL=true withdraws copies not listed] (.gz read as is)
	dotnet run --project src/ClickCollect.Api -- import-catalogue $(FILE) $(FORMAT) $(FULL)

import-patrons: ## import patrons from the library system: make import-patrons FILE=patrons.csv [FULL=true deactivates those not listed]
	dotnet run --project src/ClickCollect.Api -- import-patrons $(FILE) $(FULL)

lint:           ## no wall-clock reads outside TimeProvider in src/
	@! grep -rnE 'DateTime(Offset)?\.(Now|UtcNow)|CURRENT_TIMESTAMP|now\(\)' src --include=*.cs --include=*.sql

fmt:            ## check formatting
	dotnet format ClickCollect.sln --verify-no-changes

.PHONY: help run publish build test bench bench-selection bench-figures bench-marc openapi openapi-check migrate backup import-catalogue import-patrons lint fmt
