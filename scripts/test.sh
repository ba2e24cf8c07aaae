#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: starts the services the integration tests talk to
# when they are not running, installs the browser the dashboard tests drive, then `mvn -B verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*" >&2; }

ensure_postgres() {
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        return
    fi
    log "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && return
        sleep 1
    done
    log "PostgreSQL did not start on 127.0.0.1:5432"
    exit 1
}

ensure_redis() {
    if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        return
    fi
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
        sleep 1
    done
    log "Redis did not start on 127.0.0.1:6379"
    exit 1
}

# The dashboard's browser test drives Debian's headless Chromium through its chromedriver.
ensure_chromium() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        return
    fi
    log "installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
}

# The monitor's --tui test runs the command in a pseudo-terminal of tmux's and reads the screen.
ensure_tmux() {
    if [ -x /usr/bin/tmux ]; then
        return
    fi
    log "installing tmux"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq tmux >/dev/null
}

# MetricsScrapeIT parses /metrics with the Prometheus client's own text-format parser, Debian's python3 one.
ensure_prometheus_parser() {
    if /usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1; then
        return
    fi
    log "installing python3-prometheus-client"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3-prometheus-client >/dev/null
}

# The data shared with the project (the published sample access log) lives next to the repository on the
# project's machines. The tests check the project's own sample everywhere; those that also check the shared
# one are skipped, saying so, when it is not there.
shared_data() {
    local dir
    for dir in "$PWD/../shared/data" /work/shared/data; do
        if [ -f "$dir/sample_csv.txt" ]; then
            (cd "$dir" && pwd)
            return
        fi
    done
}

ensure_postgres
ensure_redis
ensure_chromium
ensure_tmux
ensure_prometheus_parser

# verify runs the unit tests (mvn test needs none of the services) and then the integration tests (*IT),
# which use PostgreSQL, Redis, the browser and the Prometheus parser.
shared=$(shared_data)
if [ -n "$shared" ]; then
    exec mvn -B verify -Dtollgate.sharedData="$shared" "$@"
fi
log "shared/data/sample_csv.txt not found; the checks against the shared sample will be skipped"
exec mvn -B verify "$@"
