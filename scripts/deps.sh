#!/bin/sh
# deps.sh: installs the Debian packages lvhcmon needs to build, test and run, but only when
# one is missing (checked with dpkg-query), so that repeated runs cost nothing and work
# offline. As root it calls apt-get directly; otherwise through sudo.
set -eu

PACKAGES="build-essential cmake pkg-config libpq-dev libmicrohttpd-dev libjansson-dev check
libinih-dev libsodium-dev libcsv-dev libcurl4-openssl-dev postgresql python3 curl clang
libclang-rt-14-dev wrk valgrind prometheus-alertmanager nodejs chromium"

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

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: missing packages:$missing; run this script as root or install sudo" >&2
    exit 1
fi
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
