#!/usr/bin/env bash
# Where the gateway's CPU per request goes: wrk against the same upstream through the plain Vert.x route and
# through tollgate serve with one part of its work taken away at a time, side by side in one run:
#   plain      the plain Vert.x Web route with the reverse proxy (no Tollgate)
#   bare       serve with no rules, no events, no Vert.x meters: the gateway's own handling of every request
#              (header deadline, X-Forwarded-*, hop-by-hop headers, the router with the dashboard and probes)
#   no-rules   serve with no rules (requests pass unchecked and unrecorded), Vert.x meters on
#   no-events  serve with the rule, no events recorded or published
#   lean       serve with the rule and every event recorded, management.vertxMetrics: false
#   full       serve as benchmarks/gateway/tollgate.yaml has it (what run.sh measures)
# With --flame, async-profiler (tools.profiler:async-profiler from Maven Central) records the CPU of plain and
# full during one more run each and writes flame graphs to benchmarks/gateway/profiles/.
# Needs wrk and the built jars (mvn -B -q package -DskipTests).
# Usage: benchmarks/gateway/breakdown.sh [seconds] [rounds] [--flame]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=benchmarks/gateway/common.sh
. benchmarks/gateway/common.sh
seconds=${1:-10}
rounds=${2:-5}
flame=${3:-}
connections=64
bench=benchmarks/target/benchmarks.jar
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

agent=()
if [ "$flame" = "--flame" ]; then
    mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory="$work" >/dev/null
    (cd "$work" && unzip -q async-profiler-4.1.jar 'linux-x64/*')
    agent=("-agentpath:$work/linux-x64/libasyncProfiler.so")
fi

# serve's configuration for a variant: the benchmark's own on port $1, changed by the sed script $2
variant() {
    sed -e "s/port: 9002/port: $1/" -e "$2" benchmarks/gateway/tollgate.yaml > "$work/$1.yaml"
    echo "$work/$1.yaml"
}
no_rules='s/^rules:$/rules: []/; /^  - /d'
no_events='s/^events: .*/events: { enabled: false }/'
lean='$a management: { vertxMetrics: false }'

java -cp "$bench" dev.tollgate.bench.Upstream 9000 > "$work/upstream.log" 2>&1 & pids+=($!)
wait_for 9000
names=(plain bare no-rules no-events lean full)
ports=(9001 9011 9012 9013 9014 9015)
java "${agent[@]}" -cp "$bench" dev.tollgate.bench.PlainGateway 9001 9000 > "$work/plain.log" 2>&1 & pids+=($!)
java -jar app/target/tollgate.jar serve --config "$(variant 9011 "$no_rules; $no_events; $lean")" \
    > "$work/bare.log" 2>&1 & pids+=($!)
java -jar app/target/tollgate.jar serve --config "$(variant 9012 "$no_rules")" > "$work/no-rules.log" 2>&1 & pids+=($!)
java -jar app/target/tollgate.jar serve --config "$(variant 9013 "$no_events")" > "$work/no-events.log" 2>&1 & pids+=($!)
java -jar app/target/tollgate.jar serve --config "$(variant 9014 "$lean")" > "$work/lean.log" 2>&1 & pids+=($!)
java "${agent[@]}" -jar app/target/tollgate.jar serve --config "$(variant 9015 "")" \
    > "$work/full.log" 2>&1 & pids+=($!)
for port in "${ports[@]}"; do wait_for "$port"; done

echo "warming up"
for port in "${ports[@]}"; do
    wrk -t2 -c"$connections" -d15s "http://127.0.0.1:$port/api/items" > /dev/null
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
table="$work/table"
for round in $(seq 1 "$rounds"); do
    for i in "${!names[@]}"; do
        pid=${pids[$((i + 1))]}
        before=$(ticks "$pid")
        out=$(wrk -t2 -c"$connections" -d"${seconds}s" "http://127.0.0.1:${ports[$i]}/api/items")
        after=$(ticks "$pid")
        awk -v name="${names[$i]}" -v round="$round" -v used=$((after - before)) -v hz="$(getconf CLK_TCK)" '
            / requests in / {n = $1}
            /Requests\/sec/ {r = $2}
            END {printf "%s %s %.0f %.1f\n", round, name, r, used / hz * 1e6 / n}' <<< "$out" | tee -a "$table"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "medians over $rounds rounds of ${seconds} s, $connections connections"
awk '
    function median(list,   v, n, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { rate[$2] = rate[$2] " " $3; cpu[$2] = cpu[$2] " " $4; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
    END {
        plain_rate = median(rate["plain"]); plain_cpu = median(cpu["plain"])
        printf "%-10s %12s %14s %10s %12s\n", "gateway", "requests/s", "CPU/request", "× plain", "CPU − plain"
        for (i = 1; i <= k; i++) {
            n = order[i]; r = median(rate[n]); c = median(cpu[n])
            printf "%-10s %12d %11.1f µs %9.2f× %9.1f µs\n", n, r, c, r / plain_rate, c - plain_cpu
        }
    }' "$table"

if [ "$flame" = "--flame" ]; then
    mkdir -p benchmarks/gateway/profiles
    for target in plain:9001:1 full:9015:6; do
        IFS=: read -r name port index <<< "$target"
        pid=${pids[$index]}
        jcmd "$pid" JVMTI.agent_load "$work/linux-x64/libasyncProfiler.so" '"start,event=cpu,interval=1ms"' > /dev/null
        requests=$(wrk -t2 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port/api/items" | awk '/ requests in /{print $1}')
        jcmd "$pid" JVMTI.agent_load "$work/linux-x64/libasyncProfiler.so" \
            "\"stop,file=$PWD/benchmarks/gateway/profiles/$name.html,flamegraph,title=$name: $requests requests\"" > /dev/null
        echo "flame graph of $name ($requests requests): benchmarks/gateway/profiles/$name.html"
    done
fi
