#!/usr/bin/env bash
# Bulk import speed and linearity (issue 17). For each size (default 1,000 / 10,000 / 100,000
# rows) it generates CSVs, prepares a fresh database, and times as whole processes:
#   points  `niikit rad survey import SURVEY --csv points.csv` (survey points, one survey)
#   doses   `niikit rad dose import --csv doses.csv`            (1 worker + dosimeter per 100 rows)
#   sites   `niikit site import sites.csv`                (the generic registry import)
# and, as the floor, the same rows inserted into a copy of the same database by a bare
# `sqlite3` script in one transaction (no validation, no audit log). Prints wall and CPU
# seconds, rows per CPU second, CPU µs per row (constant across sizes = linear) and the CPU
# ratio to the floor (CPU, because other processes share the machine; /usr/bin/time -f).
# Usage: bench/bench_import.sh [NIIKIT] [SIZE...]   (NIIKIT default: build/app/niikit)
set -euo pipefail
NIIKIT=${1:-build/app/niikit}
shift || true
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000 100000)
NIIKIT=$(realpath "$NIIKIT")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NIIKIT_NOW=2026-11-24T09:00:00Z

# "WALL CPU" seconds of one command (user + system CPU is the steadier figure on a shared
# machine); its output goes to $WORK/last.log; a failure stops the bench.
timed() {
  if ! /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/last.log" 2>&1; then
    echo "FAILED: $*" >&2
    tail -5 "$WORK/last.log" >&2
    exit 1
  fi
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

setup_db() {  # fresh database: a manager, an RSO, a scanner, a calibrated meter, one survey
  local db=$1
  "$NIIKIT" --db "$db" db init >/dev/null
  "$NIIKIT" --db "$db" person add --name Boss --role manager >/dev/null
  "$NIIKIT" --db "$db" --as Boss person add --name Kofi --role rso >/dev/null
  "$NIIKIT" --db "$db" --as Boss scanner add --asset-tag T1 --manufacturer ScanCorp --model CX --technology linac \
    --configuration portal --stage in_service --since 2025-01-01 >/dev/null
  "$NIIKIT" --db "$db" --as Kofi rad meter add --model FH40 --serial M1 --detector proportional --certificate C-1 \
    --calibrated 2026-03-01 --due 2027-03-01 >/dev/null
  "$NIIKIT" --db "$db" --as Kofi --json rad survey add --scanner T1 --type periodic --date 2026-11-20 --meter M1 \
    --by Kofi --background-usv-h 0.1 --interlock pass --estop pass --warning-light pass --signage pass |
    sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1
}

report() {  # kind rows "wall cpu" "floor_wall floor_cpu"
  awk -v k="$1" -v n="$2" -v t="$3" -v f="$4" 'BEGIN { split(t, a, " "); split(f, b, " ")
    printf "%-6s %6d rows | niikit wall %7.2f s cpu %7.2f s = %7.0f rows/s, %7.1f us/row (cpu) | sqlite3 floor cpu %6.2f s = %7.0f rows/s | ratio %5.1fx\n",
           k, n, a[1], a[2], n / a[2], 1e6 * a[2] / n, b[2], n / b[2], a[2] / b[2] }'
}

for n in "${SIZES[@]}"; do
  d="$WORK/$n"
  mkdir -p "$d"
  survey=$(setup_db "$d/base.db")
  # (the last connection to close checkpoints the WAL, so base.db alone is the whole database)
  # --- CSVs and the equivalent SQL
  awk -v n="$n" 'BEGIN { print "label,zone,dose_rate_usv_h,distance_m"
    for (i = 0; i < n; i++) printf "P%d,public_boundary,%.3f,%d\n", i, 0.1 + (i % 50) / 100.0, 5 + i % 20 }' >"$d/points.csv"
  awk -v n="$n" -v s="$survey" 'BEGIN { print "PRAGMA synchronous = NORMAL; BEGIN;"
    for (i = 0; i < n; i++) printf "INSERT INTO rad_survey_points (survey_id, label, zone_class, distance_m, dose_rate_usv_h, occupancy_factor, net_of_background, judged_rate_usv_h, limit_usv_h, projected_annual_usv, verdict, created_at_utc) VALUES (%d, '\''P%d'\'', '\''public_boundary'\'', %d, %.3f, 1, 1, %.3f, 0.5, 0, '\''pass'\'', '\''2026-11-24T09:00:00Z'\'');\n", s, i, 5 + i % 20, 0.1 + (i % 50) / 100.0, (i % 50) / 100.0
    print "COMMIT;" }' >"$d/points.sql"
  awk -v n="$n" 'BEGIN { print "worker,dosimeter,period_start,period_end,hp10_msv"
    for (i = 0; i < n; i++) { w = int(i / 100); k = i % 100
      printf "W%d,D%d,%04d-%02d-01,%04d-%02d-28,%.2f\n", w, w, 2000 + int(k / 12), k % 12 + 1, 2000 + int(k / 12), k % 12 + 1, (i % 7) / 10.0 } }' >"$d/doses.csv"
  awk -v n="$n" 'BEGIN { print "PRAGMA synchronous = NORMAL; BEGIN;"
    for (w = 0; w < n / 100; w++) {
      printf "INSERT INTO rad_workers (id, name, worker_category, created_at_utc) VALUES (%d, '\''W%d'\'', '\''occupational'\'', '\''x'\'');\n", w + 1, w
      printf "INSERT INTO rad_dosimeters (id, dosimeter_code, worker_id, created_at_utc) VALUES (%d, '\''D%d'\'', %d, '\''x'\'');\n", w + 1, w, w + 1 }
    for (i = 0; i < n; i++) { w = int(i / 100); k = i % 100
      printf "INSERT INTO rad_dose_records (worker_id, dosimeter_id, period_start, period_end, hp10_msv, created_at_utc) VALUES (%d, %d, '\''%04d-%02d-01'\'', '\''%04d-%02d-28'\'', %.2f, '\''x'\'');\n", w + 1, w + 1, 2000 + int(k / 12), k % 12 + 1, 2000 + int(k / 12), k % 12 + 1, (i % 7) / 10.0 }
    print "COMMIT;" }' >"$d/doses.sql"
  awk -v n="$n" 'BEGIN { print "name,country,site_type"; for (i = 0; i < n; i++) printf "Site %d,GH,seaport\n", i }' >"$d/sites.csv"
  awk -v n="$n" 'BEGIN { print "PRAGMA synchronous = NORMAL; BEGIN;"
    for (i = 0; i < n; i++) printf "INSERT INTO sites (name, country, site_type, created_at_utc) VALUES ('\''Site %d'\'', '\''GH'\'', '\''seaport'\'', '\''x'\'');\n", i
    print "COMMIT;" }' >"$d/sites.sql"
  # --- runs: each on its own copy of the base database
  for kind in points doses sites; do
    cp "$d/base.db" "$d/$kind.db"
    cp "$d/base.db" "$d/$kind-floor.db"
    case $kind in
      points) t=$(timed "$NIIKIT" --db "$d/$kind.db" --as Kofi rad survey import "$survey" --csv "$d/points.csv") ;;
      doses) t=$(timed "$NIIKIT" --db "$d/$kind.db" --as Kofi rad dose import --csv "$d/doses.csv") ;;
      sites) t=$(timed "$NIIKIT" --db "$d/$kind.db" --as Boss site import "$d/sites.csv") ;;
    esac
    f=$(timed sh -c "sqlite3 '$d/$kind-floor.db' < '$d/$kind.sql'")
    report "$kind" "$n" "$t" "$f"
  done
  rm -rf "$d"
done
