#!/bin/sh
# Install the Debian packages rustnote needs to build and test, if missing.
# Does nothing when everything is present.  Runs apt-get as root or via sudo.
set -eu

need=""
want_pkg() {	# pkg-config module, Debian package
	pkg-config --exists "$1" 2>/dev/null || need="$need $2"
}
want_cmd() {	# command, Debian package
	command -v "$1" >/dev/null 2>&1 || need="$need $2"
}

want_cmd cc gcc
want_cmd make make
want_cmd pkg-config pkg-config
if command -v pkg-config >/dev/null 2>&1; then
	want_pkg ncursesw libncurses-dev
	want_pkg libcurl libcurl4-openssl-dev
	want_pkg libcjson libcjson-dev
	want_pkg libcmark libcmark-dev
	want_pkg libpcre2-8 libpcre2-dev
	want_pkg sqlite3 libsqlite3-dev
	want_pkg cmocka libcmocka-dev
else
	need="$need libncurses-dev libcurl4-openssl-dev libcjson-dev"
	need="$need libcmark-dev libpcre2-dev libsqlite3-dev libcmocka-dev"
fi
want_cmd tmux tmux
want_cmd python3 python3
want_cmd curl curl
want_cmd openssl openssl
# make fuzz: clang and libFuzzer's runtime (a package of its own on some
# releases); make valgrind: valgrind.
want_cmd clang clang
if command -v clang >/dev/null 2>&1 &&
    ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
{ (void)d; (void)n; return 0; }\n' |
    clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then
	need="$need libclang-rt-dev"
fi
want_cmd valgrind valgrind
# The tests compile code blocks with Debian's rustc, whatever else is on
# PATH (a rustup toolchain is not what they expect).
[ -x /usr/bin/rustc ] || need="$need rustc"

[ -z "$need" ] && exit 0

echo "installing:$need"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: need root or sudo to install:$need" >&2
		exit 1
	}
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $need
