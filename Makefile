# Thin wrapper over CMake + Ninja. `make run` and `make test` are the two commands a new user needs.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
HOST ?= 127.0.0.1
PORT ?= 5433
DATA ?= ./data
JOBS ?= $(shell nproc)

.PHONY: all deps configure build server run fuzz-sql crash-test sqllogictest-all sqllogictest-known-differences test unit-test asan-test slt-test wire-test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The server alone: a new user's first `make run` compiles no tests or benchmarks.
server: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tessera

run: server
	@mkdir -p $(DATA)
	@echo "Tessera listening on $(HOST):$(PORT), data in $(DATA)."
	@echo "Connect with:  psql -h $(HOST) -p $(PORT) -U tessera tessera"
	./$(BUILD_DIR)/tessera --host $(HOST) --port $(PORT) --data $(DATA)

test: build
	bash scripts/run-tests.sh $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR)

bench: build
	bash scripts/run-bench.sh $(BUILD_DIR)

# Differential fuzzing against PostgreSQL 15: N random queries from seed SEED.
N ?= 10000
SEED ?= 1
fuzz-sql: build
	bash scripts/fuzz-sql.sh $(BUILD_DIR) $(N) $(SEED)

# Crash recovery: CRASH_ITERATIONS restarts after SIGKILL at random moments of a random write
# workload from seed SEED, each compared with the acknowledged commits (tessera-crash-test).
CRASH_ITERATIONS ?= 200
crash-test: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tessera tessera-crash-test
	./$(BUILD_DIR)/tessera-crash-test --server ./$(BUILD_DIR)/tessera --iterations $(CRASH_ITERATIONS) --seed $(SEED)

# The whole SQLite corpus on Tessera, with per-folder counts (make test runs a fixed sample).
sqllogictest-all: build
	bash scripts/sqllogictest-corpus.sh $(BUILD_DIR) tessera all

# Regenerates sqllogictest/corpus/known-differences.txt: the corpus records PostgreSQL 15 fails.
sqllogictest-known-differences: build
	bash scripts/sqllogictest-corpus.sh $(BUILD_DIR) postgresql all

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR)
