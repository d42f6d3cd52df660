#!/bin/sh
# Static checks run by `make test`: banned functions and formatting.
set -eu
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|strncpy|alloca|system)[[:space:]]*\('
if git ls-files '*.c' '*.h' | xargs grep -nE "$banned" /dev/null; then
	echo "lint: banned functions above (use src/util helpers)" >&2
	status=1
fi
if ! git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>/dev/null; then
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>&1 | head -20 >&2
	echo "lint: run 'make format'" >&2
	status=1
fi
exit $status
