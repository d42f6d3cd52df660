#!/bin/sh
# Benchmark of the evidence ledger (see bench/README.md, "The ledger").
# Run from the repository root after a build in ./build: `make bench`.
#
# Environment (all optional):
#   BUILD                build directory                       (build)
#   BENCH_LEDGER_ENTRIES entries appended and verified         (1000000)
#   BENCH_LEDGER_PAIRS   append pairs (raw insert vs ledger)    (3)
#   BENCH_LEDGER_PROOFS  inclusion proofs checked               (2000)
set -eu

BUILD=${BUILD:-build}
BIN=$BUILD/bench_ledger
if [ ! -x "$BIN" ]; then
	echo "bench: $BIN missing: run 'make build' first" >&2
	exit 1
fi
DIR=$(mktemp -d "${TMPDIR:-/tmp}/attest-ledger-bench.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM
rmdir "$DIR" # bench_ledger creates it
echo "bench: ledger, ${BENCH_LEDGER_ENTRIES:-1000000} entries in $DIR" >&2
"$BIN" "$DIR" --entries "${BENCH_LEDGER_ENTRIES:-1000000}" \
	--pairs "${BENCH_LEDGER_PAIRS:-3}" --proofs "${BENCH_LEDGER_PROOFS:-2000}"
