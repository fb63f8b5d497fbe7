#!/usr/bin/env bash
# Borderwatch provisioning, shared by run.sh and test.sh. Idempotent: run it as often as you like.
#
#   scripts/provision.sh [--with-browser] [--with-test-tools] [--print-env]     run it
#   source scripts/provision.sh && bw_provision [--with-browser] [--with-test-tools]   or source it
#
# What it does, each step only when needed:
#   - apt-get installs what is missing: PostgreSQL 15 + PostGIS 3 (unless BW_DB_URL is set),
#     node + npm (unless on PATH), maven and a JDK 17 (unless mvn / javac are on PATH),
#     chromium (with --with-browser or BW_WITH_BROWSER=1), and the real protocol clients the tests drive
#     (with --with-test-tools: mosquitto-clients for mosquitto_pub/mosquitto_sub, openssl).
#   - creates and starts a project-local PostgreSQL cluster "borderwatch" on 127.0.0.1:${BW_PG_PORT:-55432}
#     (data in /var/lib/postgresql/15/borderwatch, outside the repo; no other cluster is ever touched),
#     with role borderwatch/borderwatch and databases borderwatch (run.sh) and borderwatch_test (tests),
#     both with the postgis extension. Skipped entirely when BW_DB_URL is set.
#   - npm ci in web/ when web/node_modules is missing or older than web/package-lock.json.
#
# Exports BW_RUN_DB_URL and BW_TEST_DB_URL (both equal to BW_DB_URL when that is set).
# --print-env also prints them as shell assignments on stdout; everything else goes to stderr.

set -euo pipefail

BW_PG_VERSION=15
BW_PG_CLUSTER=borderwatch
BW_PG_ROLE=borderwatch
BW_PG_PASSWORD=borderwatch
BW_PG_RUN_DB=borderwatch
BW_PG_TEST_DB=borderwatch_test
BW_PG_BIN="/usr/lib/postgresql/${BW_PG_VERSION}/bin"
BW_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bw_log() { printf '[provision] %s\n' "$*" >&2; }
bw_die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

# Prints a database URL with its password masked.
bw_mask_url() { sed -E 's#(://[^:/@]+:)[^@]*@#\1***@#' <<<"$1"; }

# Runs a command as root: directly when we are root, else through sudo.
bw_as_root() {
    if [[ ${EUID} -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        bw_die "need root for: $* (run as root, install sudo, or set BW_DB_URL to bring your own database)"
    fi
}

bw_pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# apt-get installs the given packages; one apt-get update first. Output goes to a log file.
bw_apt_install() {
    (($# > 0)) || return 0
    command -v apt-get >/dev/null 2>&1 ||
        bw_die "missing packages ($*) and no apt-get here: install them yourself (or set BW_DB_URL for the database)"
    local aptlog="${TMPDIR:-/tmp}/borderwatch-apt.${EUID}.log"
    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y)
    bw_log "installing with apt-get: $* (log: ${aptlog})"
    if ! bw_as_root "${apt[@]}" update >"${aptlog}" 2>&1 ||
        ! bw_as_root "${apt[@]}" install "$@" >>"${aptlog}" 2>&1; then
        tail -n 20 "${aptlog}" >&2
        bw_die "apt-get failed (see ${aptlog})"
    fi
}

bw_install_packages() {
    local with_browser=$1 with_test_tools=$2
    local -a missing=()
    local pkg
    if [[ -z ${BW_DB_URL:-} ]]; then
        for pkg in "postgresql-${BW_PG_VERSION}" "postgresql-${BW_PG_VERSION}-postgis-3"; do
            bw_pkg_installed "${pkg}" || missing+=("${pkg}")
        done
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        for pkg in nodejs npm; do
            bw_pkg_installed "${pkg}" || missing+=("${pkg}")
        done
    fi
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    if [[ ${with_browser} == 1 ]] && ! command -v chromium >/dev/null 2>&1; then
        bw_pkg_installed chromium || missing+=(chromium)
    fi
    if [[ ${with_test_tools} == 1 ]]; then
        command -v mosquitto_sub >/dev/null 2>&1 || missing+=(mosquitto-clients)
        command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    fi
    bw_apt_install "${missing[@]}"

    local javaver
    javaver="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [[ -n ${javaver} && ${javaver%%.*} -lt 17 ]]; then
        bw_log "WARNING: java on PATH is ${javaver}; Borderwatch needs 17+ (set JAVA_HOME / PATH)"
    fi
}

# Prints "port status datadir" of our cluster, or nothing when it does not exist.
bw_cluster_info() {
    pg_lsclusters -h 2>/dev/null |
        awk -v v="${BW_PG_VERSION}" -v c="${BW_PG_CLUSTER}" '$1 == v && $2 == c { print $3, $4, $6 }'
}

# Removes our cluster's postmaster.pid when it does not belong to a live postmaster of this cluster
# (after a reboot or a crash the PID may have been reused, even by another cluster's postgres).
bw_remove_stale_pid() {
    local datadir=$1 pidfile pid cmdline=""
    pidfile="${datadir}/postmaster.pid"
    bw_as_root test -e "${pidfile}" || return 0
    pid="$(bw_as_root head -n 1 "${pidfile}" 2>/dev/null || true)"
    if [[ ${pid} =~ ^[0-9]+$ && -r /proc/${pid}/cmdline ]]; then
        cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)"
    fi
    if [[ ${cmdline} != *"${datadir}"* && ${cmdline} != *"/${BW_PG_VERSION}/${BW_PG_CLUSTER}/"* ]]; then
        bw_log "removing stale ${pidfile} (PID ${pid:-?} is not this cluster's server)"
        bw_as_root rm -f "${pidfile}"
    fi
}

bw_wait_ready() {
    local port=$1 i
    for ((i = 0; i < 120; i++)); do
        "${BW_PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${port}" && return 0
        sleep 0.5
    done
    return 1
}

bw_psql() { # bw_psql DB SQL...: runs SQL as the postgres superuser over TCP (trust auth on this cluster)
    local db=$1
    shift
    PGOPTIONS='-c client_min_messages=warning' "${BW_PG_BIN}/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "${BW_PG_PORT}" -U postgres -d "${db}" "$@"
}

bw_start_cluster() {
    local info port status datadir logfile
    info="$(bw_cluster_info)"
    if [[ -n ${info} ]]; then
        read -r port status datadir <<<"${info}"
        if ! bw_as_root test -f "${datadir}/PG_VERSION"; then
            # Configuration left in /etc/postgresql but the data directory is gone: start afresh.
            bw_log "cluster ${BW_PG_VERSION}/${BW_PG_CLUSTER} has no data in ${datadir}; re-creating it"
            bw_as_root pg_dropcluster "${BW_PG_VERSION}" "${BW_PG_CLUSTER}" >/dev/null 2>&1 ||
                bw_as_root rm -rf "/etc/postgresql/${BW_PG_VERSION}/${BW_PG_CLUSTER}"
            info=""
        fi
    fi
    if [[ -z ${info} ]]; then
        if "${BW_PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${BW_PG_PORT}" -t 2 ||
            [[ $? -eq 1 ]]; then
            bw_die "another PostgreSQL server already answers on port ${BW_PG_PORT}; set BW_PG_PORT to a free port"
        fi
        bw_log "creating PostgreSQL cluster ${BW_PG_VERSION}/${BW_PG_CLUSTER} on port ${BW_PG_PORT}"
        bw_as_root pg_createcluster "${BW_PG_VERSION}" "${BW_PG_CLUSTER}" -p "${BW_PG_PORT}" --locale=C.UTF-8 \
            -- --auth-local=trust --auth-host=trust >/dev/null
        info="$(bw_cluster_info)"
        [[ -n ${info} ]] || bw_die "pg_createcluster did not create ${BW_PG_VERSION}/${BW_PG_CLUSTER}"
        read -r port status datadir <<<"${info}"
    fi

    if [[ ${port} != "${BW_PG_PORT}" ]]; then
        bw_log "moving cluster ${BW_PG_VERSION}/${BW_PG_CLUSTER} from port ${port} to ${BW_PG_PORT} (BW_PG_PORT)"
        bw_as_root pg_ctlcluster "${BW_PG_VERSION}" "${BW_PG_CLUSTER}" stop >/dev/null 2>&1 || true
        bw_as_root pg_conftool "${BW_PG_VERSION}" "${BW_PG_CLUSTER}" set port "${BW_PG_PORT}"
        status=down
    fi

    if [[ ${status} == online* ]] && "${BW_PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${BW_PG_PORT}"; then
        return 0
    fi
    bw_remove_stale_pid "${datadir}"
    bw_log "starting PostgreSQL cluster ${BW_PG_VERSION}/${BW_PG_CLUSTER} (127.0.0.1:${BW_PG_PORT})"
    logfile="/var/log/postgresql/postgresql-${BW_PG_VERSION}-${BW_PG_CLUSTER}.log"
    local rc=0
    bw_as_root pg_ctlcluster "${BW_PG_VERSION}" "${BW_PG_CLUSTER}" start >/dev/null 2>&1 || rc=$?
    # pg_ctlcluster exits 2 when the cluster is already running.
    if ((rc != 0 && rc != 2)) || ! bw_wait_ready "${BW_PG_PORT}"; then
        bw_as_root tail -n 20 "${logfile}" >&2 2>/dev/null || true
        bw_die "PostgreSQL cluster ${BW_PG_VERSION}/${BW_PG_CLUSTER} did not start (log: ${logfile})"
    fi
}

bw_setup_databases() {
    if [[ -z "$(bw_psql postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '${BW_PG_ROLE}'")" ]]; then
        bw_log "creating role ${BW_PG_ROLE} (LOGIN SUPERUSER; local development cluster only)"
        bw_psql postgres -c "CREATE ROLE ${BW_PG_ROLE} LOGIN SUPERUSER PASSWORD '${BW_PG_PASSWORD}'"
    fi
    local db
    for db in "${BW_PG_RUN_DB}" "${BW_PG_TEST_DB}"; do
        if [[ -z "$(bw_psql postgres -c "SELECT 1 FROM pg_database WHERE datname = '${db}'")" ]]; then
            bw_log "creating database ${db}"
            bw_psql postgres -c "CREATE DATABASE ${db} OWNER ${BW_PG_ROLE} ENCODING 'UTF8'"
        fi
        if [[ -z "$(bw_psql "${db}" -c "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")" ]]; then
            bw_log "creating extension postgis in ${db}"
            bw_psql "${db}" -c "CREATE EXTENSION IF NOT EXISTS postgis"
        fi
    done
}

bw_npm_packages() {
    local web="${BW_REPO_ROOT}/web"
    if [[ ! -f ${web}/package.json ]]; then
        bw_log "no web/package.json yet; skipping npm"
        return 0
    fi
    local -a cmd
    if [[ -f ${web}/package-lock.json ]]; then
        # Up to date unless the lock file is newer than node_modules and than npm's own record of what it
        # installed there (node_modules/.package-lock.json, rewritten on every install).
        if [[ -d ${web}/node_modules ]] && { [[ ! ${web}/package-lock.json -nt ${web}/node_modules ]] ||
            [[ ! ${web}/package-lock.json -nt ${web}/node_modules/.package-lock.json ]]; }; then
            return 0
        fi
        cmd=(npm ci --no-audit --no-fund)
    else
        [[ -d ${web}/node_modules && ! ${web}/package.json -nt ${web}/node_modules ]] && return 0
        cmd=(npm install --no-audit --no-fund)
    fi
    bw_log "installing web packages: (cd web && ${cmd[*]})"
    local npmlog="${TMPDIR:-/tmp}/borderwatch-npm.${EUID}.log"
    if ! (cd "${web}" && "${cmd[@]}") >"${npmlog}" 2>&1; then
        tail -n 30 "${npmlog}" >&2
        bw_die "npm failed (log: ${npmlog})"
    fi
    touch "${web}/node_modules" # npm install may leave its mtime older than a rewritten lock file
}

# bw_provision [--with-browser] [--print-env]
bw_provision() {
    local with_browser="${BW_WITH_BROWSER:-0}" with_test_tools=0 print_env=0 arg
    for arg in "$@"; do
        case "${arg}" in
            --with-browser) with_browser=1 ;;
            --with-test-tools) with_test_tools=1 ;;
            --print-env) print_env=1 ;;
            -h | --help)
                sed -n '2,/^$/s/^# \{0,1\}//p' "${BW_REPO_ROOT}/scripts/provision.sh" >&2
                return 0
                ;;
            *) bw_die "unknown option: ${arg}" ;;
        esac
    done
    case "${with_browser}" in 1 | true | yes) with_browser=1 ;; *) with_browser=0 ;; esac
    BW_PG_PORT="${BW_PG_PORT:-55432}"
    [[ ${BW_PG_PORT} =~ ^[0-9]+$ ]] || bw_die "BW_PG_PORT must be a port number, not '${BW_PG_PORT}'"

    # One provisioning at a time (run.sh and test.sh may start together). The lock is released
    # before returning, so a server exec'd by the caller does not hold it.
    local lockfile="${TMPDIR:-/tmp}/borderwatch-provision.${EUID}.lock"
    exec {BW_LOCK_FD}>"${lockfile}"
    flock -w 900 "${BW_LOCK_FD}" || bw_die "another provisioning holds ${lockfile}"

    bw_install_packages "${with_browser}" "${with_test_tools}"
    if [[ -n ${BW_DB_URL:-} ]]; then
        bw_log "BW_DB_URL is set: using $(bw_mask_url "${BW_DB_URL}"), no database provisioning"
        BW_RUN_DB_URL="${BW_DB_URL}"
        BW_TEST_DB_URL="${BW_DB_URL}"
    else
        bw_start_cluster
        bw_setup_databases
        local base="postgresql://${BW_PG_ROLE}:${BW_PG_PASSWORD}@127.0.0.1:${BW_PG_PORT}"
        BW_RUN_DB_URL="${base}/${BW_PG_RUN_DB}"
        BW_TEST_DB_URL="${base}/${BW_PG_TEST_DB}"
        bw_log "database for run.sh: ${BW_RUN_DB_URL}"
        bw_log "database for tests:  ${BW_TEST_DB_URL}"
    fi
    bw_npm_packages

    flock -u "${BW_LOCK_FD}"
    exec {BW_LOCK_FD}>&-
    export BW_RUN_DB_URL BW_TEST_DB_URL
    if ((print_env)); then
        printf 'BW_RUN_DB_URL=%q\nBW_TEST_DB_URL=%q\n' "${BW_RUN_DB_URL}" "${BW_TEST_DB_URL}"
    fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    bw_provision "$@"
fi
