# A throwaway PostgreSQL cluster for the test suite (sourced by .ci/run and bench scripts).
#
# `pg_start` installs PostgreSQL with apt-get when its binaries are absent, makes a cluster
# in a fresh temporary folder owned by an unprivileged user (initdb refuses root), starts it
# listening on a private unix socket only (no TCP), and sets ORGANIZER_TEST_DB to its URL.
# `pg_stop` stops it and removes the folder; callers run it from a trap so it runs even
# when the tests fail.

pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}

pg_start() {
    PG_BIN="$(pg_bindir)"
    if [ -z "$PG_BIN" ]; then
        echo "ci: installing PostgreSQL" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
        PG_BIN="$(pg_bindir)"
    fi
    [ -n "$PG_BIN" ] || { echo "ci: no PostgreSQL binaries" >&2; return 1; }
    # initdb and postgres refuse to run as root: run them as the packaged `postgres` user,
    # else `nobody`; as an ordinary user, as ourselves.
    PG_AS=()
    if [ "$(id -u)" = 0 ]; then
        if id postgres >/dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
        PG_AS=(runuser -u "$PG_USER" --)
    fi
    PG_DIR="$(mktemp -d /tmp/organizer-pg.XXXXXX)"
    chmod 0700 "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown "$PG_USER" "$PG_DIR"; fi
    "${PG_AS[@]}" "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    # Only the socket in our folder: nothing on the network, no clash with another cluster.
    # fsync off: a throwaway cluster, and the suite makes thousands of small databases.
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --log="$PG_DIR/server.log" --wait \
        -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 1; }
    export ORGANIZER_TEST_DB="postgresql://postgres@/postgres?host=$PG_DIR"
    echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $ORGANIZER_TEST_DB" >&2
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --mode=fast --wait stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
