#!/usr/bin/env bash
# Gateway throughput, side by side in one run: wrk against the same upstream through
#   - the plain Vert.x Web route with the reverse proxy (no Tollgate),
#   - tollgate serve with a rule checking every request and every decision recorded,
#   - nginx with limit_req.
# Needs wrk and nginx (apt-get install wrk nginx-light) and the built jars
# (mvn -B -q package -DskipTests). Usage: benchmarks/gateway/run.sh [seconds] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=benchmarks/gateway/common.sh
. benchmarks/gateway/common.sh
seconds=${1:-20}
connections=${2:-64}
rounds=${3:-3}
bench=benchmarks/target/benchmarks.jar
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    nginx -c "$PWD/benchmarks/gateway/nginx.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT


java -cp "$bench" dev.tollgate.bench.Upstream 9000 > /tmp/tollgate-bench-upstream.log 2>&1 & pids+=($!)
wait_for 9000
java -cp "$bench" dev.tollgate.bench.PlainGateway 9001 9000 > /tmp/tollgate-bench-plain.log 2>&1 & pids+=($!)
java -jar app/target/tollgate.jar serve --config benchmarks/gateway/tollgate.yaml > /tmp/tollgate-bench-serve.log 2>&1 & pids+=($!)
nginx -c "$PWD/benchmarks/gateway/nginx.conf"
wait_for 9001
wait_for 9002
wait_for 9003


# requests/s through the gateway on port $1, and its CPU microseconds per request (processes $2...)
rate() {
    local port=$1; shift
    local before after out
    before=$(ticks "$@")
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port/api/items")
    after=$(ticks "$@")
    awk -v used=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        / requests in / {n = $1}
        /Requests\/sec/ {r = $2}
        END {printf "%.0f (%.1f us)", r, used / hz * 1e6 / n}' <<< "$out"
}

echo "warming up"
for port in 9001 9002 9003; do
    wrk -t2 -c"$connections" -d20s "http://127.0.0.1:$port/api/items" > /dev/null
done
plain_pid=${pids[1]}
tollgate_pid=${pids[2]}
nginx_master=$(cat /tmp/tollgate-bench-nginx.pid)
nginx_pids=("$nginx_master" $(pgrep -P "$nginx_master"))
echo "requests/s (gateway CPU per request)"
printf '%-6s %20s %20s %20s\n' round vertx-plain tollgate nginx
table=$(mktemp)
for round in $(seq 1 "$rounds"); do
    plain=$(rate 9001 "$plain_pid")
    tollgate=$(rate 9002 "$tollgate_pid")
    nginx_rate=$(rate 9003 "${nginx_pids[@]}")
    printf '%-6s %20s %20s %20s\n' "$round" "$plain" "$tollgate" "$nginx_rate" | tee -a "$table"
done
# medians of the rounds, and Tollgate's ratios to the two peers
tr -d '()us' < "$table" | awk '
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n++; p[n] = $2; pc[n] = $3; t[n] = $4; tc[n] = $5; x[n] = $6; xc[n] = $7 }
    END {
        mp = median(p, n); mt = median(t, n); mx = median(x, n)
        printf "%-6s %20s %20s %20s\n", "median", sprintf("%d (%.1f us)", mp, median(pc, n)),
            sprintf("%d (%.1f us)", mt, median(tc, n)), sprintf("%d (%.1f us)", mx, median(xc, n))
        printf "tollgate / vertx-plain %.2f, tollgate / nginx %.2f\n", mt / mp, mt / mx
    }'
rm -f "$table"
curl -s http://127.0.0.1:9002/metrics | grep -E '^tollgate_(decisions_total|events_recorded_total|events_dropped_total)'
