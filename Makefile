# Two commands do everything (see README.md):
#   make build   installs what is needed and runs dbt build on the bundled sample
#   make test    installs the dev tools and runs every check and test
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
# dbt-bouncer has its own venv: it requires duckdb<2, the project pins duckdb 2
BOUNCER_VENV := .venv-bouncer
# the Spark target (dbt-spark, pyspark) has its own venv too: it is large, and
# make build on DuckDB never needs it
SPARK_VENV := .venv-spark
# the BI recipe the tests check (README, "Connect a BI tool"): an old DuckDB
# client with SQLAlchemy and duckdb_engine, apart from the project's DuckDB 2
BI_CLIENT_VENV := .venv-bi-client
SAMPLE := data/sample/transactions.csv.gz
REAL_DATA := ../shared/data/online_retail.csv.gz

.PHONY: build test install install-dev install-spark install-browser install-bi-client spark-build spark-real-data report lint sql-lint dbt-lint pytest dbt-test sample bench bench-ci docs clean

build: install
	$(DBT) build

# every dbt data and unit test runs inside pytest: on the sample (a fresh
# build, test_first_commands.py), on the real data (conftest's
# online_retail) and on Spark (test_spark.py); make dbt-test runs them once
# more on the sample with the default vars, outside make test's 20 minutes
test: install-dev lint pytest

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-bi.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-bi.txt
	@touch $@

$(BOUNCER_VENV)/.installed: requirements-bouncer.txt
	@test -x $(BOUNCER_VENV)/bin/python || $(PYTHON) -m venv $(BOUNCER_VENV)
	$(BOUNCER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BOUNCER_VENV)/bin/python -m pip install --quiet -r requirements-bouncer.txt
	@touch $@

# Java 17 for Spark: installed with apt when there is no java (CI, a fresh
# machine); elsewhere install a JDK 17 or 21 yourself.
$(SPARK_VENV)/.installed: requirements.txt requirements-spark.txt
	@command -v java >/dev/null || { echo "no java: installing openjdk-17-jre-headless"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install --quiet -r requirements-spark.txt
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

install-spark: $(SPARK_VENV)/.installed

$(BI_CLIENT_VENV)/.installed: requirements-bi-client.txt
	@test -x $(BI_CLIENT_VENV)/bin/python || $(PYTHON) -m venv $(BI_CLIENT_VENV)
	$(BI_CLIENT_VENV)/bin/python -m pip install --quiet -r requirements-bi-client.txt
	@touch $@

install-bi-client: $(BI_CLIENT_VENV)/.installed

# Debian's chromium for the browser test (python_tests/test_report.py: the
# report and the static docs page opened headless); installed with apt when
# missing, like install-spark's java. Headless needs none of its recommended
# desktop services; a font it does, for the screenshots' text.
install-browser:
	@command -v chromium >/dev/null || { echo "no chromium: installing it"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends chromium fonts-dejavu-core; }

# The bundled sample on Spark (local[2]; tables under target/spark): see
# README, "Run it on Spark / Databricks".
spark-build: install-spark
	$(SPARK_VENV)/bin/python -m tools.spark_dbt build

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) sql-lint
	$(MAKE) dbt-lint

# sqlfluff cannot lint inside a {% macro %} or {% test %} block (its dbt
# templater skips such files: .sqlfluffignore), so what macros/ and
# tests/generic/ write is linted as dbt compiles it: every SQL model and
# analysis (where the macros are called) and each of our generic tests.
# Layout, quoting, type case and cast style are left out there: in compiled
# text they are Jinja's whitespace and dbt's own macros (relation names,
# VARCHAR, ::), not ours. dbt compile reads no data.
GENERIC_TESTS := $(patsubst tests/generic/%.sql,test_name:%,$(wildcard tests/generic/*.sql))
COMPILED_SKIP := layout,references.quoting,capitalisation.types,convention.casting_style,structure.column_order,ambiguous.column_count

sql-lint: install-dev
	$(BIN)/sqlfluff lint --processes 2 models tests analyses
	rm -rf target/lint
	SEGMENTATION_DB=target/lint.duckdb $(DBT) compile --quiet --target-path target/lint \
		--indirect-selection empty \
		--select resource_type:model resource_type:analysis $(GENERIC_TESTS)
	$(BIN)/sqlfluff lint --processes 2 --templater raw --disregard-sqlfluffignores \
		--exclude-rules $(COMPILED_SKIP) target/lint/compiled

# The house conventions (dbt-bouncer.yml) checked on the manifest dbt parse
# writes (no database needed).
dbt-lint: install $(BOUNCER_VENV)/.installed
	$(DBT) --quiet parse --target-path target/lint
	$(BOUNCER_VENV)/bin/dbt-bouncer run --config-file dbt-bouncer.yml --show-all-failures

# Python unit, property and integration tests (integration runs dbt on the
# real data in ../shared/data when it exists, and is skipped otherwise), and
# the same builds on Spark compared with DuckDB's (python_tests/test_spark.py:
# here a missing Spark environment fails instead of skipping). The slowest
# tests are listed: make test must stay under CI's 20 minutes.
pytest: install-dev install-spark install-browser install-bi-client
	SEGMENTATION_REQUIRE_SPARK=1 $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

# UCI Online Retail on Spark compared with DuckDB (test_spark.py's real-data
# test): outside make test, whose longest path is the Spark batch
spark-real-data: install-dev install-spark
	SEGMENTATION_SPARK_REAL_DATA=1 SEGMENTATION_REQUIRE_SPARK=1 $(BIN)/python -m pytest python_tests/test_spark.py

# dbt build on the bundled sample with every data and unit test, in its own
# database so that it never touches the one make build writes.
dbt-test: install-dev
	SEGMENTATION_DB=target/test.duckdb $(DBT) build --target-path target/test

# Regenerate the bundled sample (byte-identical for the same seed).
sample: install
	$(BIN)/python -m tools.sample_data --out $(SAMPLE)

# The segment report (tools/report.py): one self-contained HTML file from
# the marts of the project's database ($SEGMENTATION_DB or segmentation.duckdb)
REPORT_DB ?= $(or $(SEGMENTATION_DB),segmentation.duckdb)
REPORT ?= target/segment_report.html
report: install
	$(BIN)/python -m tools.report --db $(REPORT_DB) --out $(REPORT)

# The lineage and model docs as one self-contained page,
# target/static_index.html, that opens from disk with no server or network
# (column types come from the database make build wrote, when there is one).
docs: install
	$(DBT) docs generate --static

# The benchmark (see bench/README.md): make bench LINES="10000000 30000000"
# --spark adds the Spark column (skipped with a note without .venv-spark)
LINES ?= 1000000 10000000
bench: install-dev
	$(BIN)/python bench/run_benchmark.py --spark $(foreach n,$(LINES),--lines $(n))

# The benchmark at 1M lines once; it fails only if a run fails. Not part of
# make test since the Spark builds joined it: CI's 20 minutes (docs/decisions.md).
bench-ci: install-dev
	@if [ -f ../shared/data/online_retail.parquet ]; then \
		$(BIN)/python bench/run_benchmark.py --ci; \
	else echo "bench-ci skipped: ../shared/data/online_retail.parquet is not here"; fi

clean:
	rm -rf target logs .duckdb_tmp segmentation.duckdb segmentation.duckdb.wal
