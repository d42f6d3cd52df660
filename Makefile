# Front door: `make run` and `make test` (see README). CMake does the build.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= 2
DEMO       ?= demo

.PHONY: all deps build run test test-asan lint format clean bench fuzz

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@if [ ! -d $(DEMO) ]; then ./$(BUILD)/attest init --demo $(DEMO); fi
	@./$(BUILD)/attest -C $(DEMO) gaps

# Every test with gcc, then the whole suite again with clang under ASan+UBSan.
test: build lint
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan

test-asan: deps
	@CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
		-DATTEST_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

lint:
	@sh scripts/lint.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

bench: build
	@sh bench/run.sh
	@sh bench/run-ledger.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
