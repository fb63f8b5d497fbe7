#!/usr/bin/env bash
# Borderwatch: provision what is missing (with Chromium and mosquitto-clients for the tests), then run all tests
# (mvn -B verify). The exit code is Maven's. Extra arguments go to Maven, e.g. ./test.sh -pl server.
# Tests use the local database borderwatch_test, or BW_DB_URL when you set it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# shellcheck source=scripts/provision.sh
source scripts/provision.sh
if [[ -n ${BW_DB_URL:-} ]]; then
    bw_log "WARNING: BW_DB_URL is set; the tests will use (and write to) that database"
fi
bw_provision --with-browser --with-test-tools

export BW_DB_URL="${BW_DB_URL:-${BW_TEST_DB_URL}}"
bw_log "tests use database $(bw_mask_url "${BW_DB_URL}")"
bw_log "running: mvn -B verify $*"
exec mvn -B verify "$@"
