#!/usr/bin/env bash
# The gateway's latency while the dashboard is flooded with wrong passwords: wrk measures the median
# latency of requests through the gateway, alone and then while 32 clients send wrong HTTP Basic
# credentials to the dashboard's API as fast as they can — once with the dashboard's sign-in throttle
# as shipped (5 failures a minute per address and per user), once with the throttle out of the way
# (dashboard.loginLimit: 100000), so that only the bounded password checking stands between the flood
# and the gateway.
# Needs wrk (apt-get install wrk) and the built jars (mvn -B -q package -DskipTests).
# Usage: benchmarks/login-flood/run.sh [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}
rounds=${2:-3}
bench=benchmarks/target/benchmarks.jar
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return
        sleep 0.2
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

# the median latency in microseconds of wrk's run against the gateway
median() {
    wrk -t1 -c8 -d"${seconds}s" --latency "http://127.0.0.1:$1/api/items" | awk '
        function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; return v * 1000000 }
        $1 == "50%" { printf "%.0f", us($2) }'
}

# starts the gateway with this loginLimit on port $2; prints its pid
serve() {
    local limit=$1 port=$2
    mkdir -p "$work/$port"
    cat > "$work/$port/tollgate.yaml" <<YAML
http: { host: 127.0.0.1, port: $port }
gateway: { upstream: "http://127.0.0.1:9000" }
rules:
  - { name: api, path: "/api/*", key: ip, algorithm: token-bucket, limit: 1000000, window: 1s }
dashboard: { loginLimit: $limit }
YAML
    java -jar app/target/tollgate.jar serve --config "$work/$port/tollgate.yaml" > "$work/$port/serve.log" 2>&1 &
    echo $!
}

java -cp "$bench" dev.tollgate.bench.Upstream 9000 > "$work/upstream.log" 2>&1 & pids+=($!)
wait_for 9000
throttled=$(serve 5 9012); pids+=("$throttled")
unthrottled=$(serve 100000 9013); pids+=("$unthrottled")
wait_for 9012
wait_for 9013
wrong="Authorization: Basic $(printf 'admin:not-the-password' | base64)"

echo "warming up"
for port in 9012 9013; do
    wrk -t1 -c8 -d10s "http://127.0.0.1:$port/api/items" > /dev/null
    wrk -t1 -c32 -d5s -H "$wrong" "http://127.0.0.1:$port/ratelimit/api/summary" > /dev/null
done

echo "median latency through the gateway, microseconds"
printf '%-6s %12s %22s %22s\n' round quiet "flood, throttle on" "flood, throttle off"
table=$(mktemp)
for round in $(seq 1 "$rounds"); do
    quiet=$(median 9012)
    wrk -t1 -c32 -d"$((seconds + 4))s" -H "$wrong" "http://127.0.0.1:9012/ratelimit/api/summary" > "$work/flood1" &
    flood=$!
    sleep 2
    on=$(median 9012)
    wait "$flood"
    wrk -t1 -c32 -d"$((seconds + 4))s" -H "$wrong" "http://127.0.0.1:9013/ratelimit/api/summary" > "$work/flood2" &
    flood=$!
    sleep 2
    off=$(median 9013)
    wait "$flood"
    printf '%-6s %12s %22s %22s\n' "$round" "$quiet" "$on" "$off" | tee -a "$table"
done
awk '
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n++; q[n] = $2; a[n] = $3; b[n] = $4 }
    END {
        mq = median(q, n); ma = median(a, n); mb = median(b, n)
        printf "%-6s %12d %22d %22d\n", "median", mq, ma, mb
        printf "flood / quiet: %.2f with the throttle, %.2f without it\n", ma / mq, mb / mq
    }' "$table"
rm -f "$table"
echo "the floods' answers (last round):"
grep -E "Non-2xx|Requests/sec" "$work/flood1" "$work/flood2" || true
for port in 9012 9013; do
    echo "port $port: $(grep -c 'failed dashboard sign-in' "$work/$port/serve.log" || true) failed sign-ins logged"
done
