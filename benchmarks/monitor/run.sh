#!/usr/bin/env bash
# The log monitor next to GoAccess and awk, side by side in one run, on the same generated traffic written twice:
# as a CSV access log and in the Combined Log Format (2,000,000 requests by default). Wall time of each command,
# JVM start included, median of the rounds (the commands take turns within a round):
#   - tollgate monitor on the CSV log and on the Combined log (--threads: every core), and on the CSV log on
#     one thread,
#   - goaccess on the Combined log, to a JSON report (no terminal, no real-time),
#   - awk counting the lines of each second of log time on the CSV log (the date is its 4th column).
# Needs goaccess (apt-get install goaccess) and the built jars (mvn -B -q package -DskipTests).
# The machine's load changes the figures: the load average is printed before and after, and the CPU time of each
# command next to its wall time.
# TOLLGATE names the command to measure (default: bin/tollgate of the distribution that mvn package builds,
# app/target/tollgate-*.tar.gz, unpacked here, as a user installs it), e.g. TOLLGATE=/opt/tollgate/bin/tollgate.
# Usage: benchmarks/monitor/run.sh [lines] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=${1:-2000000}
rounds=${2:-5}
bench=benchmarks/target/benchmarks.jar
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -z "${TOLLGATE:-}" ]]; then
    mkdir "$work/dist"
    tar xzf "$(ls app/target/tollgate-*.tar.gz | head -1)" -C "$work/dist"
    TOLLGATE=$(ls "$work"/dist/*/bin/tollgate)
fi
tollgate=$TOLLGATE

java -cp "$bench" dev.tollgate.bench.MonitorLogs "$work" "$lines"
csv=$work/access.csv
combined=$work/access.log
# read once, so that every command finds the files in the page cache
cat "$csv" "$combined" > /dev/null

# runs the command; prints its wall time and the CPU time (user + system) it used, in seconds
measure() {
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    awk '{printf "%s %.2f", $1, $2 + $3}' "$work/time"
}

declare -A commands=(
    [tollgate_csv]="$tollgate monitor $csv --threads $threads --progress never > $work/csv.txt"
    [tollgate_csv_one_thread]="$tollgate monitor $csv --threads 1 --progress never > $work/csv-1.txt"
    [tollgate_combined]="$tollgate monitor $combined --threads $threads --progress never > $work/combined.txt"
    [goaccess_combined]="goaccess $combined --log-format=COMBINED --no-global-config -o $work/goaccess.json"
    [awk_csv]="awk -F, '{c[\$4]++}' $csv"
)
names=(tollgate_csv tollgate_csv_one_thread tollgate_combined goaccess_combined awk_csv)
declare -A walls cpus
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for round in $(seq 1 "$rounds"); do
    line="round $round:"
    for name in "${names[@]}"; do
        read -r wall cpu <<< "$(measure bash -c "${commands[$name]}")"
        walls[$name]="${walls[$name]:-} $wall"
        cpus[$name]="${cpus[$name]:-} $cpu"
        line="$line $name ${wall}s (cpu ${cpu}s)"
    done
    echo "$line"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A wall_median
for name in "${names[@]}"; do
    wall_median[$name]=$(median "${walls[$name]}")
    echo "median $name: ${wall_median[$name]} s wall, $(median "${cpus[$name]}") s cpu"
done
grep -A1 '^  summary' "$work/csv.txt" || true
# the same report whatever the threads, but for the time it took
test -s "$work/csv.txt" && cmp -s <(grep -v 'read in' "$work/csv.txt") <(grep -v 'read in' "$work/csv-1.txt") \
    && echo "the CSV reports on $threads threads and on one are the same" \
    || echo "the CSV reports on $threads threads and on one DIFFER"
ratio() { echo "scale=2; ${wall_median[$1]} / ${wall_median[$2]}" | bc; }
echo "wall ratio goaccess_combined / tollgate_combined: $(ratio goaccess_combined tollgate_combined) (target >= 15)"
echo "wall ratio awk_csv / tollgate_csv: $(ratio awk_csv tollgate_csv) (target >= 0.9)"
