#!/bin/sh
# check-format.sh: fails when a C source or header of the repository differs from what
# clang-format makes of it with the repository's .clang-format. Checks every tracked .c/.h
# (git ls-files; outside a git checkout, every .c/.h under the source folders). Lists each
# file that differs, with the first lines of clang-format's findings, and how to fix it.
# Exit status: 0 all formatted, 1 some file is not, 77 clang-format is not installed
# (ctest shows the test as skipped; scripts/deps.sh test installs it).
#
# Settings (environment): CLANG_FORMAT (default clang-format).
set -eu

cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
    echo "check-format: SKIPPED: $CLANG_FORMAT is not installed (scripts/deps.sh test)" >&2
    exit 77
fi

list=$(mktemp)
report=$(mktemp)
trap 'rm -f "$list" "$report"' EXIT
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # tracked files, and new ones not yet added (but not ignored ones such as build trees)
    git ls-files --cached --others --exclude-standard -- '*.c' '*.h' | sort -u >"$list"
else
    find bench daemon fuzz lib tests tools -name '*.[ch]' -type f | sort >"$list"
fi
checked=$(grep -c . "$list" || true)
if [ "$checked" -eq 0 ]; then
    echo "check-format: no C files found" >&2
    exit 1
fi

# One clang-format for all files; its findings name each file ("FILE:LINE:COL: error: ...").
if tr '\n' '\0' <"$list" | xargs -0 "$CLANG_FORMAT" --dry-run -Werror >"$report" 2>&1; then
    echo "check-format: $checked files formatted ($("$CLANG_FORMAT" --version | head -n 1))"
    exit 0
fi
files=$(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' "$report" | sort -u)
if [ -z "$files" ]; then
    cat "$report" >&2 # clang-format failed for another reason (bad .clang-format, ...)
    exit 1
fi
echo "check-format: these files differ from .clang-format:" >&2
printf '  %s\n' $files >&2
echo "check-format: first findings:" >&2
head -n 30 "$report" >&2
echo "check-format: fix with: $CLANG_FORMAT -i $(echo $files)" >&2
exit 1
