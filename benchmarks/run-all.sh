#!/usr/bin/env bash
# Every benchmark of docs/BENCHMARKS.md in a fixed order, with short defaults (about 15 minutes on two cores), each
# next to its peer in the same run, ending with one table of ratios against the targets. The full-length commands,
# and what each measures, are in docs/BENCHMARKS.md; a run here is a quick check, noisier than those.
#
# Installs what it needs and lacks: wrk, nginx-light and goaccess from Debian; Bucket4j and Spring Cloud Gateway come
# from Maven Central with the builds. Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379.
#
# Usage: benchmarks/run-all.sh [--skip NAME,...]
#   (names: limiter redis decision ingest queries gateway scg adaptive monitor)
set -euo pipefail
cd "$(dirname "$0")/.."
skip=",${2:-},"
[[ "${1:-}" == "--skip" ]] || skip=",,"
log=$(mktemp -d /tmp/tollgate-run-all.XXXXXX)
summary="$log/summary"
bench=benchmarks/target/benchmarks.jar
java_quiet=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null)

missing=()
for tool in wrk:wrk nginx:nginx-light goaccess:goaccess; do
    command -v "${tool%%:*}" > /dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
    echo "installing ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" > /dev/null
fi

echo "building (logs in $log)"
mvn -B -q package -DskipTests -P-self-contained -pl app,benchmarks -am > "$log/build.log" 2>&1
if [[ -f benchmarks/spring-gateway/pom.xml ]]; then
    mvn -B -q -f benchmarks/spring-gateway/pom.xml package -DskipTests > "$log/build-scg.log" 2>&1
fi

# row NAME MEASURED TARGET MET: one line of the final table
row() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >> "$summary"; }
# at_least VALUE TARGET: yes when VALUE >= TARGET
at_least() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t + 0) ? "yes" : "NO" }'; }
at_most() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 <= t + 0) ? "yes" : "NO" }'; }
wanted() { [[ "$skip" != *",$1,"* ]]; }
step() { echo; echo "== $1 ($(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"; }
fresh_database() {
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $1" 2> /dev/null
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $1"
}

if wanted limiter; then
    step "in-process limiter against Bucket4j (JMH, 1 fork)"
    java -jar "$bench" TokenBucketBenchmark -f 1 -wi 2 -w 2s -i 5 -r 2s -t 1 | tee "$log/limiter.txt" | grep -E "^Token"
    ratio=$(awk '/^TokenBucketBenchmark/ { score[$1] = $(NF - 3) }
        END { for (b in score) { if (b ~ /ollgate/) t = score[b]; else if (b ~ /ucket4j/) p = score[b] }
              if (p > 0) printf "%.2f", t / p }' "$log/limiter.txt")
    row "limiter: token bucket × Bucket4j, 1 thread" "${ratio}×" "≥ 1.5×" "$(at_least "$ratio" 1.5)"
fi

if wanted redis; then
    step "Redis limiter against INCR and Bucket4j's Lettuce backend"
    java -cp "$bench" dev.tollgate.bench.RedisLimiterThroughput redis://127.0.0.1:6379 4 5 | tee "$log/redis.txt" \
        | grep median
    incr=$(awk '/in flight 64, median: limiter  / { for (i = 1; i <= NF; i++) if ($i == "INCR:") print $(i + 1) }' \
        "$log/redis.txt" | tr -d ,)
    peer=$(awk '/in flight 64, median: limiter × Bucket4j/ { print $NF }' "$log/redis.txt")
    p99=$(awk '/in flight  1, median: limiter  / { print $NF }' "$log/redis.txt")
    leased=$(awk '/in flight 64, median: limiter, leased/ { for (i = 1; i <= NF; i++) if ($i == "INCR:") print $(i + 1) }' \
        "$log/redis.txt" | tr -d ,)
    row "redis: decisions × INCR, 64 in flight" "${incr}×" "≥ 1.0×" "$(at_least "$incr" 1.0)"
    row "redis: decisions × Bucket4j, 64 in flight" "${peer}×" "≥ 1.5×" "$(at_least "$peer" 1.5)"
    row "redis: p99 × INCR's, 1 in flight" "${p99}×" "≤ 1.2×" "$(at_most "$p99" 1.2)"
    row "redis, leased mode: decisions × INCR, 64 in flight" "${leased}×" "≥ 5×" "$(at_least "$leased" 5)"
fi

if wanted decision; then
    step "decision service: HTTP, bridge and Envoy's gRPC next to tollgate.limit.check on the bus"
    java -cp "$bench" dev.tollgate.bench.DecisionThroughput 5 3 | tee "$log/decision.txt" | grep median
    for interface in HTTP bridge gRPC; do
        measured=$(sed -n "s/^median: $interface.* \([0-9,]*\) decisions\/s *\([0-9.]*×\).*/\1 (\2)/p" \
            "$log/decision.txt")
        row "decision: $interface decisions/s (× the bus)" "$measured" "-" "-"
    done
fi

if wanted ingest; then
    step "PostgreSQL ingest against a bare INSERT and COPY"
    fresh_database tollgate_run_all_ingest
    "${java_quiet[@]}" -cp "$bench" dev.tollgate.bench.PostgresIngest tollgate_run_all_ingest 300000 1000 4 250ms 5 2>&1 \
        | grep -v "^[A-Z][a-z][a-z] [0-9]\|^INFO\|SLF4J" | tee "$log/ingest.txt"
    insert=$(awk '/^ratio store/ { gsub(",", "", $5); print $5 }' "$log/ingest.txt")
    copy=$(awk '/^ratio store/ { print $9 }' "$log/ingest.txt")
    row "ingest: store appends × bare INSERT" "${insert}×" "≥ 0.8×" "$(at_least "$insert" 0.8)"
    row "ingest: store appends × COPY" "${copy}×" "≥ 0.75×" "$(at_least "$copy" 0.75)"
fi

if wanted queries; then
    step "dashboard queries, every range (2 M events; the target is for 10 M)"
    java -Xmx4g -cp "$bench" dev.tollgate.bench.DashboardQueries memory 2000000 7 '{"maxEvents":2000000}' \
        15m,1h,6h,24h,7d,30d > "$log/queries-memory.txt" 2>&1
    fresh_database tollgate_run_all_queries
    "${java_quiet[@]}" -Xmx3g -cp "$bench" dev.tollgate.bench.DashboardQueries postgres 2000000 7 \
        '{"url":"postgresql://postgres@127.0.0.1:5432/tollgate_run_all_queries"}' 15m,1h,6h,24h,7d,30d \
        > "$log/queries-postgres.txt" 2>&1
    for store in memory postgres; do
        worst=$(awk '/ median / { for (i = 1; i <= NF; i++) if ($i == "median") m = $(i + 1)
                if (m + 0 > w + 0) { w = m; q = substr($0, 1, index($0, " median") - 1); sub(/ +$/, "", q) } }
            END { printf "%.1f ms, %s", w, q }' "$log/queries-$store.txt")
        row "queries: slowest median, $store" "$worst" "≤ 50 ms" "$(at_most "${worst%% *}" 50)"
    done
fi

if wanted gateway; then
    step "gateway against the plain Vert.x route and nginx limit_req"
    benchmarks/gateway/run.sh 10 64 3 2>&1 | tee "$log/gateway.txt" | grep -E "^(round|median|[0-9]|tollgate /)"
    plain=$(awk '/^tollgate \/ vertx-plain/ { gsub(",", "", $4); print $4 }' "$log/gateway.txt")
    nginx=$(awk '/^tollgate \/ vertx-plain/ { print $NF }' "$log/gateway.txt")
    row "gateway: requests/s × plain Vert.x route" "${plain}×" "≥ 0.95×" "$(at_least "$plain" 0.95)"
    row "gateway: requests/s × nginx limit_req (reference)" "${nginx}×" "—" "—"
fi

if wanted scg && [[ -x benchmarks/gateway/run-scg.sh ]]; then
    step "gateway with the Redis backend against Spring Cloud Gateway's RequestRateLimiter"
    benchmarks/gateway/run-scg.sh 10 64 3 30 2>&1 | tee "$log/scg.txt" | tail -4
    scg=$(grep -oE "tollgate / spring-gateway [0-9.]+" "$log/scg.txt" | awk '{ print $NF }' | tail -1)
    row "gateway (redis): requests/s × Spring Cloud Gateway" "${scg}×" "≥ 2×" "$(at_least "$scg" 2)"
fi

if wanted adaptive; then
    step "adaptive rules: an upstream slower the more it is asked, driven past capacity"
    "${java_quiet[@]}" -cp "$bench" dev.tollgate.bench.AdaptiveLimitLatency 8 200 2>&1 | grep -v SLF4J \
        | tee "$log/adaptive.txt" | grep -E "^(unloaded|no rule|aimd|gradient) "
    for algorithm in aimd gradient; do
        adaptive=$(sed -n "s/^$algorithm: p99 of admitted requests \([0-9.]*\)×.*/\1/p" "$log/adaptive.txt")
        row "adaptive: $algorithm p99 × unloaded p99, 200 clients" "${adaptive}×" "≤ 2×" "$(at_most "$adaptive" 2)"
    done
fi

if wanted monitor && [[ -x benchmarks/monitor/run.sh ]]; then
    step "log monitor against GoAccess and awk"
    benchmarks/monitor/run.sh 2000000 3 2>&1 | tee "$log/monitor.txt" | tail -4
    goaccess=$(awk '/^wall ratio goaccess_combined/ { print $(NF - 3) }' "$log/monitor.txt")
    awk_ratio=$(awk '/^wall ratio awk_csv/ { print $(NF - 3) }' "$log/monitor.txt")
    row "monitor: Combined log × GoAccess" "${goaccess}×" "≥ 15×" "$(at_least "$goaccess" 15)"
    row "monitor: CSV seconds × awk" "${awk_ratio}×" "≥ 0.9×" "$(at_least "$awk_ratio" 0.9)"
fi

echo
echo "== summary ($(date +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)); logs in $log"
awk -F'|' 'BEGIN { printf "%-52s %-34s %-9s %s\n", "benchmark", "measured", "target", "met" }
    { printf "%-52s %-34s %-9s %s\n", $1, $2, $3, $4 }' "$summary"
