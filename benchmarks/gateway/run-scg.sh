#!/usr/bin/env bash
# Tollgate against Spring Cloud Gateway, side by side in one run: wrk against the same upstream through
#   - Spring Cloud Gateway with its RequestRateLimiter filter on Redis (benchmarks/spring-gateway),
#   - tollgate serve with limiter.backend: redis (tollgate-redis.yaml), every decision recorded,
#   - nginx with limit_req, as the reference,
# all keyed by client address at a rate no request reaches, on the same Redis. First a check that
# the two Redis limiters do limit: with 5 a second, burst 5, a burst of 20 requests gets 429s.
# Needs wrk, nginx (apt-get install wrk nginx-light), Redis on 127.0.0.1:6379 and the built jars:
#   mvn -B -q package -pl app,benchmarks -am -DskipTests
#   mvn -B -q -f benchmarks/spring-gateway/pom.xml package
# Usage: benchmarks/gateway/run-scg.sh [seconds] [connections] [rounds] [warm-up seconds per gateway]
# Spring Cloud Gateway needs about a minute of load before its rate stops climbing, hence the default
# warm-up of 60 s for each gateway.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=benchmarks/gateway/common.sh
. benchmarks/gateway/common.sh
seconds=${1:-20}
connections=${2:-64}
rounds=${3:-3}
warmup=${4:-60}
bench=benchmarks/target/benchmarks.jar
scg_jar=benchmarks/spring-gateway/target/spring-gateway.jar
# the limiters' keys: Tollgate's under its prefix in database 14, Spring's in database 15
forget_keys() {
    redis-cli -n 14 --scan --pattern 'tollgate-bench:*' | xargs -r redis-cli -n 14 del > /dev/null
    redis-cli -n 15 --scan --pattern 'request_rate_limiter.*' | xargs -r redis-cli -n 15 del > /dev/null
}
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    done
    nginx -c "$PWD/benchmarks/gateway/nginx.conf" -s stop 2>/dev/null || true
    forget_keys
}
trap cleanup EXIT


start_scg() {
    java -jar "$scg_jar" "$@" > /tmp/tollgate-bench-scg.log 2>&1 &
    scg_pid=$!
    pids+=("$scg_pid")
}

start_tollgate() {
    java -jar app/target/tollgate.jar serve --config benchmarks/gateway/tollgate-redis.yaml \
        > /tmp/tollgate-bench-serve-redis.log 2>&1 &
    tollgate_pid=$!
    pids+=("$tollgate_pid")
}

stop() {
    kill "$@"
    for pid in "$@"; do
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    done
}

# the status codes of 20 requests sent back to back on one connection, counted: "200 x5, 429 x15"
burst() {
    local args=()
    for _ in $(seq 1 20); do args+=(-o /dev/null "http://127.0.0.1:$1/api/items"); done
    curl -s -w '%{http_code}\n' "${args[@]}" | sort | uniq -c |
        awk '{printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1}'
}

for port in 9000 9002 9003 9004; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "port $port is taken: stop what answers there first" >&2
        exit 1
    fi
done
java -cp "$bench" dev.tollgate.bench.Upstream 9000 > /tmp/tollgate-bench-upstream.log 2>&1 & pids+=($!)
wait_for 9000
forget_keys

echo "check: 5 requests a second, burst 5, then a burst of 20 requests"
start_scg --scg.rate=5 --scg.burst=5
TOLLGATE_RULES='[{"name":"api","path":"/*","key":"ip","algorithm":"token-bucket","limit":5,"window":"1s","burst":5}]' \
    start_tollgate
wait_for 9004
wait_for 9002
sleep 1 # the tokens taken by wait_for come back
scg_burst=$(burst 9004)
tollgate_burst=$(burst 9002)
echo "  spring-gateway: $scg_burst"
echo "  tollgate:       $tollgate_burst"
if [[ $scg_burst != *"429 x"* || $tollgate_burst != *"429 x"* ]]; then
    echo "a limiter let a burst of 20 through a limit of 5" >&2
    exit 1
fi
stop "$scg_pid" "$tollgate_pid"
forget_keys

start_scg
start_tollgate
nginx -c "$PWD/benchmarks/gateway/nginx.conf"
wait_for 9004
wait_for 9002
wait_for 9003


# through the gateway on port $1 (processes $2...): requests/s, the gateway's and Redis's CPU
# microseconds per request, and the responses that were not 2xx or 3xx
rate() {
    local port=$1; shift
    local before redis_before after redis_after out
    before=$(ticks "$@")
    redis_before=$(ticks "$redis_pid")
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port/api/items")
    after=$(ticks "$@")
    redis_after=$(ticks "$redis_pid")
    awk -v used=$((after - before)) -v redis=$((redis_after - redis_before)) -v hz="$(getconf CLK_TCK)" '
        / requests in / {n = $1}
        /Requests\/sec/ {r = $2}
        /Non-2xx or 3xx responses/ {bad = $NF}
        END {printf "%.0f %.1f %.1f %d", r, used / hz * 1e6 / n, redis / hz * 1e6 / n, bad}' <<< "$out"
}

redis_pid=$(redis-cli info server | awk -F: '/^process_id:/ {print $2 + 0}')
nginx_master=$(cat /tmp/tollgate-bench-nginx.pid)
nginx_pids=("$nginx_master" $(pgrep -P "$nginx_master"))
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warming up"
for port in 9004 9002 9003; do
    wrk -t2 -c"$connections" -d"${warmup}s" "http://127.0.0.1:$port/api/items" > /dev/null
done
echo "requests/s (gateway + Redis CPU per request)"
printf '%-6s %26s %26s %26s\n' round spring-gateway tollgate nginx
table=$(mktemp)
show() { printf '%d (%.1f + %.1f us)' "$1" "$2" "$3"; }
for round in $(seq 1 "$rounds"); do
    read -r -a s <<< "$(rate 9004 "$scg_pid")"
    read -r -a t <<< "$(rate 9002 "$tollgate_pid")"
    read -r -a x <<< "$(rate 9003 "${nginx_pids[@]}")"
    echo "${s[*]} ${t[*]} ${x[*]}" >> "$table"
    printf '%-6s %26s %26s %26s\n' "$round" "$(show "${s[@]}")" "$(show "${t[@]}")" "$(show "${x[@]}")"
    for bad in "${s[3]}" "${t[3]}" "${x[3]}"; do
        ((bad == 0)) || echo "  a gateway answered $bad requests with neither 2xx nor 3xx" >&2
    done
done
# medians of the rounds, Tollgate's ratios to the two peers, and the median of those ratios taken
# round by round (the gateways of one round share the machine's moment)
awk '
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n++; for (c = 1; c <= 12; c++) col[c, n] = $c }
    function m(c,   v, i) { for (i = 1; i <= n; i++) v[i] = col[c, i]; return median(v, n) }
    function cell(c) { return sprintf("%d (%.1f + %.1f us)", m(c), m(c + 1), m(c + 2)) }
    END {
        printf "%-6s %26s %26s %26s\n", "median", cell(1), cell(5), cell(9)
        printf "tollgate / spring-gateway %.2f, tollgate / nginx %.2f\n", m(5) / m(1), m(5) / m(9)
        for (i = 1; i <= n; i++) { rs[i] = col[5, i] / col[1, i]; rx[i] = col[5, i] / col[9, i] }
        printf "the same ratios round by round, median: %.2f and %.2f\n", median(rs, n), median(rx, n)
    }' "$table"
rm -f "$table"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -s http://127.0.0.1:9002/metrics | grep -E '^tollgate_(decisions_total|events_recorded_total|limiter_fail_open_total)' || true
