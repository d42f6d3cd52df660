#!/bin/sh
# Installs the Debian 12 packages attest needs to build and test. As root it
# runs apt-get; otherwise it prints the exact command and fails.
set -eu
pkgs="cmake make gcc clang pkg-config libsqlite3-dev libyaml-dev libjansson-dev
libssl-dev libsodium-dev libcmocka-dev sqlite3 clang-format"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing Debian packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
