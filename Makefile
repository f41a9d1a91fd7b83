# Short commands for people; CMake and ctest do the work. See README.md.
#   make run      build, then run the main demo
#   make test     build (normal, ASan+UBSan with the portable switch dispatch, Windows) and run every suite
#   make windows  cross-compile the library and tools for Windows (mingw-w64)
#   make fuzz     run every libFuzzer target for a set time (FUZZ_SECONDS each)
#   make bench    benchmarks: interpreter and JIT against native code and the kernel, maps against the kernel,
#                 the verifier on the corpus
BUILD      ?= build
ASAN_BUILD ?= build-asan
WIN_BUILD  ?= build-win
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?= -DEBPF_WERROR=ON
MAKEFLAGS += --no-print-directory

.PHONY: all deps build asan windows run test test-linux test-asan test-tsan test-windows fuzz bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEBPF_SANITIZE=ON -DEBPF_PORTABLE_DISPATCH=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

windows: deps
	@cmake -S . -B $(WIN_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake -DCMAKE_BUILD_TYPE=Release \
	    -DEBPF_NATIVE_BUILD_DIR=$(abspath $(BUILD)) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(WIN_BUILD) -j $(JOBS)

run: build
	@$(BUILD)/bin/ebpf asm examples/asm/primes.asm -o $(BUILD)/primes.bin
	@echo "== ebpf disasm $(BUILD)/primes.bin"
	@$(BUILD)/bin/ebpf disasm $(BUILD)/primes.bin
	@for mode in checked jit; do \
	    echo "== ebpf exec $(BUILD)/primes.bin --mem 00000000000003e8 --mode $$mode   (primes below 1000: 168 = 0xa8)"; \
	    $(BUILD)/bin/ebpf exec $(BUILD)/primes.bin --mem 00000000000003e8 --mode $$mode || exit 1; \
	done
	@echo
	@examples/xdp_firewall/run-demo $(BUILD)

test-linux: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE slow

# ThreadSanitizer on the concurrent parts (maps, epoch reclamation, platform threads).
test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEBPF_TSAN=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target maps_stress maps_epoch maps_ringbuf maps_perf
	@cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -R 'unit\.maps_(stress|epoch|ringbuf|perf)$$'

test-windows: windows build
	@cd $(WIN_BUILD) && ctest --output-on-failure -j $(JOBS)

test: test-linux test-asan test-tsan test-windows

fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DEBPF_FUZZ=ON -DEBPF_TESTS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzzers $(FUZZ_BUILD)

bench: build
	@cmake --build $(BUILD) -j $(JOBS) --target bench_interp
	@bench/run $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(WIN_BUILD) $(FUZZ_BUILD)
