#!/bin/sh
# Benchmark of `attest gaps` on a generated workspace (see bench/README.md).
# Run from the repository root after a build in ./build: `make bench`.
#
# Environment (all optional):
#   BUILD           build directory                      (build)
#   BENCH_CONTROLS  controls in the generated workspace   (500)
#   BENCH_EVIDENCE  evidence records                      (1000000)
#   BENCH_AS_OF     the assessment date                   (2026-01-31)
#   BENCH_RUNS      timed runs per command                (20)
#   BENCH_WS        workspace directory, reused if built  ($BUILD/bench-ws)
#   BENCH_COLD=1    also time runs after dropping the page cache (root only;
#                   drops the cache of the whole machine)
#   BENCH_STRICT=1  exit 1 when a goal is missed
set -eu

BUILD=${BUILD:-build}
CONTROLS=${BENCH_CONTROLS:-500}
EVIDENCE=${BENCH_EVIDENCE:-1000000}
AS_OF=${BENCH_AS_OF:-2026-01-31}
RUNS=${BENCH_RUNS:-20}
WS=${BENCH_WS:-$BUILD/bench-ws}
GOAL_MS=200
GOAL_MB=64
ATTEST=$BUILD/attest
GEN=$BUILD/bench_genworkspace

die() {
	echo "bench: $*" >&2
	exit 1
}

if [ ! -x "$ATTEST" ] || [ ! -x "$GEN" ]; then
	die "$ATTEST or $GEN missing: run 'make build' first"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/attest-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
DEMO=$TMP/demo # made afresh each run (under a second)

now_ns() {
	date +%s%N
}

# ---- the workspaces -------------------------------------------------------

# The stamp names the parameters and the generator build that made it.
params="controls=$CONTROLS evidence=$EVIDENCE as_of=$AS_OF gen=$(cksum <"$GEN" |
	awk '{ print $1 }')"
stamp=$WS.stamp
if [ -f "$WS/attest.db" ] && [ -f "$stamp" ] &&
	[ "$(sed -n 1p "$stamp")" = "$params" ]; then
	echo "bench: reusing $WS ($params)" >&2
else
	# Never delete a workspace this script did not make.
	if [ -e "$WS" ] && [ ! -f "$stamp" ]; then
		die "$WS exists but has no $stamp: remove it or set BENCH_WS"
	fi
	echo "bench: generating $WS ($params)" >&2
	rm -rf "$WS" "$stamp"
	t0=$(now_ns)
	"$GEN" "$WS" --controls "$CONTROLS" --evidence "$EVIDENCE" \
		--as-of "$AS_OF" || die "workspace generation failed"
	t1=$(now_ns)
	{
		echo "$params"
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'
	} >"$stamp"
fi
gen_s=$(sed -n 2p "$stamp")
ws_size=$(du -sk "$WS" | awk '{ printf "%.0f MB", $1 / 1024 }')

"$ATTEST" init --demo "$DEMO" --as-of "$AS_OF" >/dev/null ||
	die "demo workspace creation failed"

# Every command must succeed before it is timed.
"$ATTEST" -C "$WS" gaps --as-of "$AS_OF" >/dev/null ||
	die "attest gaps failed on $WS (rm -rf $WS $stamp to regenerate)"
"$ATTEST" -C "$DEMO" gaps --as-of "$AS_OF" >/dev/null ||
	die "attest gaps failed on $DEMO"

have_sqlite=0
if command -v sqlite3 >/dev/null 2>&1; then
	have_sqlite=1
	records=$(sqlite3 "$WS/attest.db" 'SELECT count(*) FROM evidence')
	demo_records=$(sqlite3 "$DEMO/attest.db" \
		'SELECT count(*) FROM evidence')
else
	records=$EVIDENCE
	demo_records="?"
fi

# ---- measuring ------------------------------------------------------------

# Peak RSS needs GNU time; install it when missing and allowed.
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	echo "bench: installing GNU time" >&2
	apt-get install -y time >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 &&
			apt-get install -y time >/dev/null 2>&1; } || true
fi

if command -v hyperfine >/dev/null 2>&1; then
	timer="hyperfine $(hyperfine --version | awk '{ print $2 }')"
else
	timer="shell loop (date +%s%N; includes ~1 ms of fork/exec)"
fi

# wall CMD...: prints "median min max" in ms over $RUNS warm runs.
wall() {
	if command -v hyperfine >/dev/null 2>&1; then
		cmd=""
		for w in "$@"; do
			cmd="$cmd '$w'"
		done
		hyperfine -N --style none --warmup 3 --runs "$RUNS" \
			--export-csv "$TMP/h.csv" -- "$cmd" >/dev/null 2>&1 ||
			die "hyperfine failed on: $cmd"
		# command,mean,stddev,median,user,system,min,max (seconds)
		awk -F, 'NR == 2 { printf "%.1f %.1f %.1f\n",
			$(NF-4) * 1000, $(NF-1) * 1000, $NF * 1000 }' "$TMP/h.csv"
		return
	fi
	i=0
	while [ $i -lt 3 ]; do # warm-up
		"$@" >/dev/null
		i=$((i + 1))
	done
	: >"$TMP/t"
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		echo $((t1 - t0)) >>"$TMP/t"
		i=$((i + 1))
	done
	sort -n "$TMP/t" | awk '{ v[NR] = $1 / 1e6 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

# rss CMD...: the largest peak RSS in MB over 3 runs, or "n/a".
rss() {
	if [ ! -x /usr/bin/time ]; then
		echo "n/a"
		return
	fi
	i=0
	: >"$TMP/r"
	while [ $i -lt 3 ]; do
		/usr/bin/time -v "$@" 2>"$TMP/v" >/dev/null
		awk -F: '/Maximum resident set size/ { print $2 }' \
			"$TMP/v" >>"$TMP/r"
		i=$((i + 1))
	done
	sort -n "$TMP/r" | awk 'END { printf "%.1f\n", $1 / 1024 }'
}

# cold CMD...: median ms of 5 runs, each after dropping the page cache.
cold() {
	: >"$TMP/c"
	i=0
	while [ $i -lt 5 ]; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		echo $((t1 - t0)) >>"$TMP/c"
		i=$((i + 1))
	done
	sort -n "$TMP/c" | awk '{ v[NR] = $1 / 1e6 } END {
		printf "%.1f %.1f %.1f\n", v[3], v[1], v[5] }'
}

echo "bench: timing ($RUNS runs each)..." >&2
wall "$ATTEST" -C "$WS" gaps --as-of "$AS_OF" >"$TMP/w"
read -r g_med g_min g_max <"$TMP/w"
g_rss=$(rss "$ATTEST" -C "$WS" gaps --as-of "$AS_OF")
wall "$ATTEST" -C "$DEMO" gaps --as-of "$AS_OF" >"$TMP/w"
read -r d_med d_min d_max <"$TMP/w"
d_rss=$(rss "$ATTEST" -C "$DEMO" gaps --as-of "$AS_OF")
if [ $have_sqlite = 1 ]; then
	wall sqlite3 "$WS/attest.db" 'SELECT count(*) FROM evidence' >"$TMP/w"
	read -r s_med s_min s_max <"$TMP/w"
	s_rss=$(rss sqlite3 "$WS/attest.db" 'SELECT count(*) FROM evidence')
fi
cold_ok=0
if [ "${BENCH_COLD:-0}" = 1 ]; then
	if [ -w /proc/sys/vm/drop_caches ]; then
		cold "$ATTEST" -C "$WS" gaps --as-of "$AS_OF" >"$TMP/w"
		read -r c_med c_min c_max <"$TMP/w"
		cold_ok=1
	else
		echo "bench: BENCH_COLD=1 needs root; skipped" >&2
	fi
fi

# ---- the table ------------------------------------------------------------

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo \
	2>/dev/null || true)
row() {
	printf '%-44s %9s %9s %9s %10s\n' "$@"
}
echo
echo "attest gaps benchmark, as of $AS_OF"
echo "  workspace   $WS: $CONTROLS controls, $records evidence records," \
	"$ws_size on disk, generated in ${gen_s:-?} s"
echo "  machine     $(nproc) CPUs, ${cpu:-unknown CPU}"
echo "  timer       $timer, $RUNS runs after 3 warm-up runs (warm cache)"
echo
row "command" "median" "min" "max" "peak RSS"
row "attest gaps ($records records)" "$g_med ms" "$g_min ms" \
	"$g_max ms" "$g_rss MB"
if [ $cold_ok = 1 ]; then
	row "  same, page cache dropped (5 runs)" "$c_med ms" "$c_min ms" \
		"$c_max ms" "-"
fi
if [ $have_sqlite = 1 ]; then
	row "baseline: sqlite3 SELECT count(*) evidence" "$s_med ms" \
		"$s_min ms" "$s_max ms" "$s_rss MB"
fi
row "baseline: attest gaps, demo ($demo_records records)" "$d_med ms" \
	"$d_min ms" "$d_max ms" "$d_rss MB"
echo
if [ $have_sqlite = 1 ]; then
	echo "  ratio  gaps / sqlite3 count(*):  $(awk -v a="$g_med" \
		-v b="$s_med" 'BEGIN { printf "%.2f", a / b }')"
fi
echo "  ratio  gaps / gaps on the demo:  $(awk -v a="$g_med" -v b="$d_med" \
	'BEGIN { printf "%.2f", a / b }')"

status=0
verdict() { # name value goal unit
	if [ "$2" = "n/a" ]; then
		echo "  goal   $1 < $3 $4: not measured"
	elif awk -v v="$2" -v g="$3" 'BEGIN { exit !(v < g) }'; then
		echo "  goal   $1 < $3 $4: met ($2 $4)"
	else
		echo "  goal   $1 < $3 $4: MISSED ($2 $4)"
		status=1
	fi
}
verdict "median wall time" "$g_med" $GOAL_MS ms
verdict "peak RSS" "$g_rss" $GOAL_MB MB
if [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit $status
fi
exit 0
