#!/usr/bin/env bash
# Borderwatch: provision what is missing, build, and start one node on :${BW_HTTP_PORT:-8080} with the
# simulator on. Any BW_* variable you set (see README / API.md section 2) is passed to the server.
#   BW_REBUILD=1 ./run.sh     force a rebuild even when the jar looks up to date
#   JAVA_OPTS="-Xmx2g" ./run.sh   JVM options; without a heap size of their own the node gets -Xmx1g
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# shellcheck source=scripts/provision.sh
source scripts/provision.sh
bw_provision

jar=server/target/borderwatch.jar

# True when the jar is missing or any source file (outside build output) is newer than it.
jar_is_stale() {
    [[ -f ${jar} ]] || return 0
    [[ -n $(find . \( -name .git -o -name target -o -name node_modules -o -path ./web/dist -o -name '.?*' \
        -o -name '*.log' \) -prune -o -type f -newer "${jar}" -print -quit) ]]
}

if [[ ${BW_REBUILD:-0} == 1 ]] || jar_is_stale; then
    bw_log "building: mvn -B -q -DskipTests package"
    mvn -B -q -DskipTests package
else
    bw_log "${jar} is up to date (BW_REBUILD=1 forces a build)"
fi
[[ -f ${jar} ]] || bw_die "the build did not produce ${jar}"

# The admin password is set by the server at the first start of a database, so keep the generated
# one and reuse it: the password printed below is always the one that works.
if [[ -z ${BW_ADMIN_PASSWORD:-} ]]; then
    pwfile="${XDG_DATA_HOME:-${HOME:-/root}/.local/share}/borderwatch/admin-password"
    if [[ ! -s ${pwfile} ]]; then
        mkdir -p "$(dirname "${pwfile}")"
        if command -v openssl >/dev/null 2>&1; then
            pw="$(openssl rand -base64 18 | tr -dc A-Za-z0-9 | head -c 16)"
        else
            pw="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc A-Za-z0-9 | head -c 16)"
        fi
        [[ ${#pw} -ge 12 ]] || bw_die "could not generate a password"
        (umask 077 && printf '%s\n' "${pw}" >"${pwfile}")
        bw_log "generated an admin password, stored in ${pwfile}"
    fi
    chmod 600 "${pwfile}"
    BW_ADMIN_PASSWORD="$(head -n 1 "${pwfile}")"
    pwnote="stored in ${pwfile}"
else
    pwnote="from BW_ADMIN_PASSWORD"
fi

export BW_DB_URL="${BW_DB_URL:-${BW_RUN_DB_URL}}"
export BW_SIMULATOR_UNITS="${BW_SIMULATOR_UNITS:-60}"
export BW_ADMIN_PASSWORD

cat <<BANNER

  ================================================================
   Borderwatch
     open      http://localhost:${BW_HTTP_PORT:-8080}
     user      admin
     password  ${BW_ADMIN_PASSWORD}
               (${pwnote}; set at the first start of a database)
     database  $(bw_mask_url "${BW_DB_URL}")
     simulator ${BW_SIMULATOR_UNITS} units
   Ctrl-C stops the server.
  ================================================================

BANNER

# A heap bound unless JAVA_OPTS names one: without it the JVM may grow to a quarter of the machine's memory and
# keep it. Admission control keeps the node's working set far below 1 GB even at five times the load it sustains
# (BENCHMARKS.md); a node that runs out of memory anyway exits rather than limp on.
java_opts="${JAVA_OPTS:-}"
if [[ ${java_opts} != *-Xmx* && ${java_opts} != *MaxRAM* ]]; then
    java_opts="-Xmx1g -XX:+ExitOnOutOfMemoryError ${java_opts}"
fi

# shellcheck disable=SC2086 # java_opts is a list of options
exec java ${java_opts} -jar "${jar}"
