#!/usr/bin/env bash
# Starts (or stops) a local PostgreSQL for development, kept between runs, and prints the
# IPCASE_DATABASE_URL to use. Tests do not need it: they start their own throwaway server.
#
#   Deploy/dev-postgres.sh start    # initdb on first use, then start; prints the export line
#   Deploy/dev-postgres.sh stop
#   Deploy/dev-postgres.sh status
#
# Environment: IPCASE_DEV_PGDATA (default /var/tmp/ipcase-dev-pg), IPCASE_DEV_PGPORT (default 54329).
set -euo pipefail

base="${IPCASE_DEV_PGDATA:-/var/tmp/ipcase-dev-pg}"
port="${IPCASE_DEV_PGPORT:-54329}"

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    bindir="$(pg_config --bindir)"
else
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        if [ -x "$dir/initdb" ]; then bindir="$dir"; break; fi
    done
fi
if [ -z "$bindir" ]; then
    echo "dev-postgres: PostgreSQL server programs not found; install them: apt-get install -y postgresql" >&2
    exit 1
fi

# PostgreSQL refuses to run as root: run its programs as the postgres user then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
    if [ ! -f "$base/data/PG_VERSION" ]; then
        mkdir -p "$base/socket"
        [ "$(id -u)" -eq 0 ] && chown -R postgres: "$base"
        as_pg "$bindir/initdb" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
        cat >>"$base/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$base/socket'
CONF
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
        as_pg "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w start >/dev/null
        as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
            "SELECT 1 FROM pg_database WHERE datname = 'ipcase'" | grep -q 1 ||
            as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres ipcase
    fi
    echo "export IPCASE_DATABASE_URL=postgresql://postgres@127.0.0.1:$port/ipcase"
    ;;
stop)
    as_pg "$bindir/pg_ctl" -D "$base/data" -m fast -w stop
    ;;
status)
    as_pg "$bindir/pg_ctl" -D "$base/data" status
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
