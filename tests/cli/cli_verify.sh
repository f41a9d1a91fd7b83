#!/bin/sh
# cli_verify.sh BIN_DIR PROG_DIR - `ebpf verify` and `ebpf run --no-verify`: exit codes (0 all accepted,
# 1 some refused, 2 bad input / usage / a verifier that could not answer), one line on stderr for
# errors, the refusal naming instruction, disassembly and source line, --verbose's state, the --json
# shape (checked with python3's json module), and the verifier process's failures (through the
# test-only EBPF_VERIFIER_TEST_HOOK). PROG_DIR holds verify_ok.bpf.o and verify_mixed.bpf.o, whose
# verdicts any correct verifier gives. SKIPPED (77) without them.
set -u
bin=$1
progs=$2
ebpf="$bin/ebpf"
ok="$progs/verify_ok.bpf.o"
mixed="$progs/verify_mixed.bpf.o"
if [ ! -f "$ok" ] || [ ! -f "$mixed" ]; then
    echo "SKIPPED: $progs has no test objects (needs clang and libbpf-dev)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

fail() {
    echo "FAIL $1"; sed 's/^/  stdout: /' "$tmp/out"; sed 's/^/  stderr: /' "$tmp/err"; failed=$((failed + 1))
}

# expect CODE DESCRIPTION COMMAND...: exit code, and for errors (2) one stderr line and no stdout.
expect() {
    want=$1
    what=$2
    shift 2
    "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit $got, expected $want"; return 1
    fi
    if [ "$want" -eq 2 ] && { [ "$(grep -c . "$tmp/err")" -ne 1 ] || [ -s "$tmp/out" ]; }; then
        fail "$what: an error must be one line on stderr and nothing on stdout"; return 1
    fi
    passed=$((passed + 1))
    return 0
}

# contains FILE TEXT DESCRIPTION
contains() {
    if grep -q -- "$2" "$tmp/$1"; then passed=$((passed + 1)); else fail "$3: no '$2' in $1"; fi
}

expect 0 "accepted object" "$ebpf" verify "$ok" && contains out "pass (xdp): accepted" "accepted object"
expect 0 "accepted object, in process" "$ebpf" verify "$ok" --in-process
expect 1 "object with a refused program" "$ebpf" verify "$mixed"
contains out "pass (xdp): accepted" "mixed: pass"
contains out "null_deref (xdp): refused at instruction [0-9]* (verify_mixed.bpf.c:[0-9]*): ." "mixed: refusal line"
contains out "^  [0-9]*: " "mixed: disassembly of the refused instruction"
contains out "^  ; verify_mixed.bpf.c:[0-9]*:" "mixed: source text"
expect 1 "refused program, in process" "$ebpf" verify "$mixed" --in-process --program null_deref
expect 0 "--program selects the accepted one" "$ebpf" verify "$mixed" --program pass
expect 1 "--verbose" "$ebpf" verify "$mixed" --program null_deref --verbose
contains out "abstract state at instruction [0-9]*:" "--verbose state"

# JSON: exactly one object of the documented shape.
expect 1 "--json" "$ebpf" verify "$mixed" --json
if python3 - "$tmp/out" "$mixed" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
doc = json.loads(text)            # exactly one value: json.loads refuses trailing data
assert set(doc) == {"object", "programs"}, doc.keys()
assert doc["object"] == sys.argv[2]
progs = {p["name"]: p for p in doc["programs"]}
assert set(progs) == {"pass", "null_deref"}, progs.keys()
for p in doc["programs"]:
    assert set(p) == {"section", "name", "verdict", "insn", "line", "message", "instructions", "time_us"}, p.keys()
    assert p["section"] == "xdp"
    assert isinstance(p["instructions"], int) and p["instructions"] > 0
    assert isinstance(p["time_us"], int) and p["time_us"] >= 0
ok, bad = progs["pass"], progs["null_deref"]
assert ok["verdict"] == "accept" and ok["insn"] is None and ok["line"] is None and ok["message"] is None, ok
assert bad["verdict"] == "reject", bad
assert isinstance(bad["insn"], int) and 0 <= bad["insn"] < bad["instructions"], bad
assert re.fullmatch(r"verify_mixed\.bpf\.c:\d+", bad["line"]), bad
assert isinstance(bad["message"], str) and bad["message"], bad
PY
then passed=$((passed + 1)); else fail "--json shape"; fi
expect 0 "--json, accepted" "$ebpf" verify "$ok" --json

# Usage and bad input.
expect 2 "no object" "$ebpf" verify
expect 2 "unknown option" "$ebpf" verify "$ok" --frobnicate
expect 2 "unknown program" "$ebpf" verify "$mixed" --program nope
expect 2 "missing file" "$ebpf" verify "$tmp/missing.o"
printf 'not an ELF file' >"$tmp/junk.o"
expect 2 "not an ELF object" "$ebpf" verify "$tmp/junk.o"

# The verifier process failing: a clean error each time.
EBPF_VERIFIER_TEST_HOOK=open-file expect 2 "sandbox: the verifier cannot open a file" "$ebpf" verify "$ok" &&
    contains err "sandbox violation" "open-file hook"
EBPF_VERIFIER_TEST_HOOK=crash expect 2 "crashing verifier" "$ebpf" verify "$ok" &&
    contains err "verifier process crashed (killed by SIGSEGV)" "crash hook"
EBPF_VERIFIER_TEST_HOOK=garbage expect 2 "garbage reply" "$ebpf" verify "$ok" &&
    contains err "malformed reply from the verifier process" "garbage hook"
EBPF_VERIFIER_TEST_HOOK=loop expect 2 "looping verifier, --timeout-ms" "$ebpf" verify "$ok" --timeout-ms 500 &&
    contains err "verifier did not answer within 500 ms (killed)" "loop hook"
expect 2 "bad --timeout-ms" "$ebpf" verify "$ok" --timeout-ms 0
EBPF_VERIFIER=/nonexistent/ebpf-verifier expect 2 "no verifier executable" "$ebpf" verify "$ok" &&
    contains err "cannot run the verifier '/nonexistent/ebpf-verifier'" "missing verifier"
EBPF_VERIFIER_TEST_HOOK=crash expect 0 "--in-process ignores the process hooks" "$ebpf" verify "$ok" --in-process

# ebpf run --no-verify: unverified, checked engine only.
expect 0 "run --no-verify" "$ebpf" run "$ok" --program pass --no-verify --data-hex "$(printf '%0128d' 0)"
contains out "XDP_PASS" "run --no-verify output"
expect 2 "run --no-verify --engine jit" "$ebpf" run "$ok" --program pass --no-verify --engine jit \
    --data-hex "$(printf '%0128d' 0)" && contains err "only in the checked engine" "--no-verify with jit"

echo "cli_verify: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
