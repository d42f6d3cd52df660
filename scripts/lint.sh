#!/bin/sh
# Static checks run by `make test`: banned functions and formatting.
set -eu
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|strncpy|alloca|system)[[:space:]]*\('
# String literals are blanked first, so SQL and help text do not match.
for f in $(git ls-files '*.c' '*.h'); do
	hits=$(sed -E 's/"([^"\\]|\\.)*"/""/g' "$f" | grep -nE "$banned" || true)
	if [ -n "$hits" ]; then
		echo "$hits" | sed "s|^|$f:|" >&2
		status=1
	fi
done
[ $status = 0 ] || echo "lint: banned functions above (use src/util helpers)" >&2
if ! git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>/dev/null; then
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>&1 | head -20 >&2
	echo "lint: run 'make format'" >&2
	status=1
fi
exit $status
