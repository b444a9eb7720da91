#!/usr/bin/env bash
# demo-load.sh: fills an lvhcmon database with the demo: the reference data of reference/
# and ten months (January-October 2026) of generated declarations.
#
#   LVHCMON_BIN_DIR=build/daemon LVHCMON_CONFIG=config/lvhcmon.conf scripts/demo-load.sh
#
# Environment:
#   LVHCMON_BIN_DIR      folder holding lvhcmon and lvhcmon-demogen (each may also sit in a
#                        subfolder of it, as in a CMake build tree: daemon/, tools/demogen/)
#   LVHCMON_CONFIG       configuration file (the database comes from it, or from LVHCMON_DB)
#   LVHCMON_DEMO_SEED    generator seed (default 1)
#
# It runs from the repository root and writes into ./var/demo/. It loads once: after a
# complete run it writes var/demo/.loaded and later runs only say so. Delete that file (or
# var/demo/) to load again. A run that stopped half-way can simply be repeated: reference load
# is idempotent and importing a submission that is already stored is a replay that changes
# nothing (doc/api.md).
#
# Arrivals: the generator writes one file per day on which invoices arrive
# (declarations-YYYY-MM-DD.csv: most inside their month's declaration window, a few late,
# one provider catching up three months at once), and each is imported as received on that
# day (`import --received-on`), in date order. So the figures as of a past day (as_of) show
# what was known then. A file whose day has not come yet (the demo run before the end of
# November 2026) is left for later: it has not arrived.
set -eu

die() {
    echo "demo-load: $*" >&2
    exit 1
}

# Finds program $1 in LVHCMON_BIN_DIR or one of the build-tree subfolders it may live in.
find_program() {
    local name=$1 dir
    for dir in "$LVHCMON_BIN_DIR" "$LVHCMON_BIN_DIR/daemon" "$LVHCMON_BIN_DIR/tools/demogen"; do
        if [ -x "$dir/$name" ]; then
            echo "$dir/$name"
            return 0
        fi
    done
    die "$name not found in $LVHCMON_BIN_DIR (set LVHCMON_BIN_DIR to the folder of the binaries)"
}

: "${LVHCMON_BIN_DIR:?set LVHCMON_BIN_DIR to the folder holding lvhcmon and lvhcmon-demogen}"
: "${LVHCMON_CONFIG:?set LVHCMON_CONFIG to the lvhcmon configuration file}"
seed=${LVHCMON_DEMO_SEED:-1}

# Absolute paths first: the script works from the repository root below.
case $LVHCMON_BIN_DIR in /*) ;; *) LVHCMON_BIN_DIR=$PWD/$LVHCMON_BIN_DIR ;; esac
case $LVHCMON_CONFIG in /*) ;; *) LVHCMON_CONFIG=$PWD/$LVHCMON_CONFIG ;; esac
[ -r "$LVHCMON_CONFIG" ] || die "cannot read configuration $LVHCMON_CONFIG"
lvhcmon=$(find_program lvhcmon)
demogen=$(find_program lvhcmon-demogen)

cd "$(dirname "$0")/.."
demo_dir=var/demo
marker=$demo_dir/.loaded
if [ -e "$marker" ]; then
    echo "demo-load: already loaded ($(cat "$marker")); delete $marker to load again"
    exit 0
fi

echo "demo-load: loading reference data from reference/"
"$lvhcmon" --config "$LVHCMON_CONFIG" reference load reference/

echo "demo-load: generating declarations (seed $seed) into $demo_dir/"
mkdir -p "$demo_dir"
rm -f "$demo_dir"/declarations-*.csv "$demo_dir"/expected.txt
"$demogen" --reference reference --out "$demo_dir" --seed "$seed" --year 2026 --through-month 10

echo "demo-load: importing the files one arrival day at a time (lvhcmon import --received-on)"
files=0
later=0
today=$(TZ=Europe/Amsterdam date +%Y-%m-%d)
for file in "$demo_dir"/declarations-2026-*.csv; do
    [ -e "$file" ] || die "the generator wrote no declaration files"
    received=${file##*declarations-}
    received=${received%.csv}
    if [[ "$received" > "$today" ]]; then
        later=$((later + 1))
        continue
    fi
    "$lvhcmon" --config "$LVHCMON_CONFIG" import "$file" --format csv --received-on "$received" \
        >/dev/null
    files=$((files + 1))
done
[ "$later" -eq 0 ] || echo "demo-load: $later file(s) arrive after today; not imported"

expected=$(sed -n 's/^expected_cents=//p' "$demo_dir/expected.txt")
rejected=$(sed -n 's/^lines_rejected=//p' "$demo_dir/expected.txt")
echo "seed=$seed files=$files expected_cents=$expected at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$marker"

echo
echo "demo-load: imported $files files; expected national spend $expected cents"
echo "demo-load: $rejected lines are meant to be rejected (see $demo_dir/expected.txt)"
echo
"$lvhcmon" --config "$LVHCMON_CONFIG" status --year 2026 ||
    echo "demo-load: (status not available; the data is loaded)" >&2
