#!/usr/bin/env bash
# Start-up of a command that does no work: `niikit --version`, RUNS times (default 50), as
# whole processes; prints the median and the spread of wall time, the median user+system CPU,
# the peak resident memory and the number of shared libraries the binary loads (ldd).
# Compare two binaries side by side by giving both; runs alternate (A B A B ...) so a drift
# in the machine's load hits both alike.
# Usage: bench/bench_startup.sh [RUNS] BINARY [BINARY_B]
set -euo pipefail
RUNS=${1:-50}
shift
[[ $# -ge 1 ]] || { echo "usage: bench/bench_startup.sh [RUNS] BINARY [BINARY_B]" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for ((i = 0; i < RUNS; i++)); do
  for b in "$@"; do
    /usr/bin/time -f "%e %U %S %M" -a -o "$WORK/$(basename "$b").$(echo "$b" | md5sum | cut -c1-8)" \
      "$b" --version >/dev/null
  done
done
for b in "$@"; do
  f="$WORK/$(basename "$b").$(echo "$b" | md5sum | cut -c1-8)"
  libs=$(ldd "$b" | wc -l)
  median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
  read -r wall wmin wmax < <(awk '{ print $1 }' "$f" | median)
  read -r cpu _ _ < <(awk '{ print $2 + $3 }' "$f" | median)
  read -r rss _ _ < <(awk '{ print $4 }' "$f" | median)
  echo "$b: --version x$RUNS: wall median $wall s (min $wmin, max $wmax), cpu median $cpu s, peak RSS ${rss%.*} KiB, $libs shared libraries"
done
