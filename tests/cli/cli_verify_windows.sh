#!/bin/sh
# cli_verify_windows.sh BIN_DIR PROG_DIR RUNNER - the Windows verifier path under wine: ebpf.exe hands
# programs to ebpf-verifier.exe (in its job object) and reports verdicts with the Linux exit codes; a
# crashing verifier or a garbage reply is a clean error. PROG_DIR is the native build's
# tests/verifier_progs (the objects are built by clang on the host). SKIPPED (77) without it.
# (Windows has no system-call filter: the "cannot open a file" proof is Linux's, in cli_verify.sh.)
set -u
bin=$1
progs=$2
runner=$3
ebpf="$bin/ebpf.exe"
if [ ! -f "$progs/verify_ok.bpf.o" ] || [ ! -f "$progs/verify_mixed.bpf.o" ]; then
    echo "SKIPPED: $progs has no verifier test objects (needs a native build with clang: make test-windows)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# check CODE TEXT DESCRIPTION COMMAND...: exit code, and TEXT in stdout+stderr.
check() {
    want=$1
    text=$2
    what=$3
    shift 3
    "$runner" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ] || ! cat "$tmp/out" "$tmp/err" | tr -d '\r' | grep -q -- "$text"; then
        echo "FAIL $what: exit $got (expected $want), no '$text'?"
        sed 's/^/  stdout: /' "$tmp/out"; sed 's/^/  stderr: /' "$tmp/err"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

check 0 "pass (xdp): accepted" "accepted object" "$ebpf" verify "$progs/verify_ok.bpf.o"
check 1 "null_deref (xdp): refused at instruction" "refused program" "$ebpf" verify "$progs/verify_mixed.bpf.o"
check 1 '"verdict":"reject"' "--json" "$ebpf" verify "$progs/verify_mixed.bpf.o" --json
EBPF_VERIFIER_TEST_HOOK=crash check 2 "verifier process crashed (killed by SIGSEGV)" "crashing verifier" \
    "$ebpf" verify "$progs/verify_ok.bpf.o"
EBPF_VERIFIER_TEST_HOOK=garbage check 2 "malformed reply from the verifier process" "garbage reply" \
    "$ebpf" verify "$progs/verify_ok.bpf.o"
EBPF_VERIFIER_TEST_HOOK=loop check 2 "verifier did not answer within 3000 ms (killed)" "looping verifier" \
    "$ebpf" verify "$progs/verify_ok.bpf.o" --timeout-ms 3000
echo "cli_verify_windows: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
