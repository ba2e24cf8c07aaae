# Shell functions the gateway benchmarks share; sourced by run.sh and run-scg.sh.

# waits until something answers HTTP on port $1 (up to 30 s), else stops the script
wait_for() {
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return
        sleep 0.2
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

# CPU time (clock ticks) the given processes have used so far
ticks() {
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}
