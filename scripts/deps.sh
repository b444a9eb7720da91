#!/bin/sh
# deps.sh: installs the Debian 12 packages lvhcmon needs, by profile, but only those that are
# missing (checked with dpkg-query), so that repeated runs cost nothing and work offline. As
# root it calls apt-get directly; otherwise through sudo.
#
#   scripts/deps.sh run     build and run lvhcmond and lvhcmon with a local PostgreSQL
#                           (scripts/run.sh): compiler, CMake, the -dev libraries, PostgreSQL
#   scripts/deps.sh test    run + what scripts/test.sh needs: Check, Python, clang and
#                           libFuzzer, clang-format, valgrind, Alertmanager, Node.js,
#                           chromium, openssl (test certificates for HTTPS)
#   scripts/deps.sh bench   test + what bench/ needs: wrk
#   scripts/deps.sh --list PROFILE
#                           print the profile's packages, one a line, and exit
#
# The browser test also needs Node.js 20 or later; Debian 12's nodejs is 18, so on a plain
# Debian 12 that test reports itself skipped (tests/e2e/README.md).
set -eu

RUN_PACKAGES="build-essential cmake pkg-config libpq-dev libmicrohttpd-dev libgnutls28-dev
libjansson-dev libinih-dev libsodium-dev libssl-dev libcsv-dev libcurl4-openssl-dev libxlsxwriter-dev
postgresql curl"
TEST_PACKAGES="$RUN_PACKAGES check python3 python3-openpyxl clang libclang-rt-14-dev clang-format
valgrind prometheus-alertmanager nodejs chromium openssl"
BENCH_PACKAGES="$TEST_PACKAGES wrk"

usage() {
    echo "usage: $0 run|test|bench" >&2
    echo "       $0 --list run|test|bench" >&2
    exit 2
}

packages_of() {
    case "$1" in
        run) echo "$RUN_PACKAGES" ;;
        test) echo "$TEST_PACKAGES" ;;
        bench) echo "$BENCH_PACKAGES" ;;
        *) usage ;;
    esac
}

[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then
    [ $# -eq 2 ] || usage
    for pkg in $(packages_of "$2"); do echo "$pkg"; done
    exit 0
fi
[ $# -eq 1 ] || usage
PACKAGES=$(packages_of "$1")

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    case "$status" in
        ii*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps ($1): installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: missing packages:$missing; run this script as root or install sudo" >&2
    exit 1
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
