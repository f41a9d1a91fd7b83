#!/bin/sh
# cli_errors.sh BIN_DIR [RUNNER] - the tools' contract on bad input: one line on stderr, nothing on
# stdout, exit code 2 for bad input or usage (1 for a program that runs and fails), never a crash.
# RUNNER (optional) prefixes every command, e.g. a wine launcher for the Windows binaries.
set -u
bin=$1
runner=${2:-}
ext=""
[ -e "$bin/ebpf.exe" ] && ext=".exe"
ebpf="$bin/ebpf$ext"
plugin="$bin/ebpf_plugin$ext"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect CODE DESCRIPTION [STDIN-FILE] -- COMMAND...
expect() {
    want=$1
    what=$2
    input=$3
    shift 4
    if [ -n "$input" ]; then
        $runner "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
    else
        $runner "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    fi
    got=$?
    lines=$(tr -d '\r' <"$tmp/err" | grep -c .)
    outlen=$(wc -c <"$tmp/out")
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $what: exit $got, expected $want"; sed 's/^/  stderr: /' "$tmp/err"; failed=$((failed + 1))
    elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
        echo "FAIL $what: $lines lines on stderr, expected 1"; sed 's/^/  stderr: /' "$tmp/err"; failed=$((failed + 1))
    elif [ "$want" -ne 0 ] && [ "$outlen" -ne 0 ]; then
        echo "FAIL $what: printed on stdout on error"; failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

# Fixtures.
printf 'mov %%r0, 7\nexit\n' >"$tmp/seven.asm"
printf 'mov %%r0, 7\nfrobnicate %%r1\nexit\n' >"$tmp/bad.asm"
$runner "$ebpf" asm "$tmp/seven.asm" -o "$tmp/seven.bin" </dev/null >/dev/null 2>&1
printf '\001\002\003\004\005' >"$tmp/truncated.bin"
printf '\377\000\000\000\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/unknown_opcode.bin"
printf '\030\000\000\000\001\000\000\000' >"$tmp/truncated_lddw.bin"
# ldxdw r0, [r1+4096]; exit  -- out of bounds in checked mode
printf '\171\020\000\020\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/oob.bin"
# ja -1 (infinite loop)
printf '\005\000\377\377\000\000\000\000' >"$tmp/loop.bin"
printf 'b7 00 00 00 07 00 00 00 95 00 00 00 00 00 00 00\n' >"$tmp/seven.hex"
printf 'b7 00 00 00 07 00 00 00 95 00 00 00 00 00 00 0\n' >"$tmp/odd.hex"
printf 'ff 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n' >"$tmp/unknown.hex"
: >"$tmp/empty.hex"

expect 0 "exec runs a valid program" "" -- "$ebpf" exec "$tmp/seven.bin"
expect 0 "exec runs a .asm file" "" -- "$ebpf" exec "$tmp/seven.asm" --mode fast
expect 2 "no command" "" -- "$ebpf"
expect 2 "unknown command" "" -- "$ebpf" frobnicate
expect 2 "exec: missing file argument" "" -- "$ebpf" exec
expect 2 "exec: file does not exist" "" -- "$ebpf" exec "$tmp/nope.bin"
expect 2 "exec: odd hex" "" -- "$ebpf" exec "$tmp/seven.bin" --mem 123
expect 2 "exec: not hex" "" -- "$ebpf" exec "$tmp/seven.bin" --mem zz
expect 2 "exec: unknown mode" "" -- "$ebpf" exec "$tmp/seven.bin" --mode turbo
expect 2 "exec: bad budget" "" -- "$ebpf" exec "$tmp/seven.bin" --budget -5
expect 2 "exec: truncated program" "" -- "$ebpf" exec "$tmp/truncated.bin"
expect 2 "exec: unknown opcode" "" -- "$ebpf" exec "$tmp/unknown_opcode.bin"
expect 2 "exec: truncated lddw" "" -- "$ebpf" exec "$tmp/truncated_lddw.bin"
expect 2 "exec: empty file" "" -- "$ebpf" exec "$tmp/empty.hex"
expect 1 "exec: out-of-bounds load in checked mode" "" -- "$ebpf" exec "$tmp/oob.bin" --mem 0011223344556677
expect 1 "exec: infinite loop hits the budget" "" -- "$ebpf" exec "$tmp/loop.bin" --budget 100000
expect 2 "asm: syntax error" "" -- "$ebpf" asm "$tmp/bad.asm"
expect 2 "asm: missing file" "" -- "$ebpf" asm "$tmp/nope.asm"
expect 2 "asm: no argument" "" -- "$ebpf" asm
expect 2 "disasm: missing file" "" -- "$ebpf" disasm "$tmp/nope.bin"
expect 2 "disasm: truncated program" "" -- "$ebpf" disasm "$tmp/truncated.bin"
expect 2 "disasm: unknown opcode" "" -- "$ebpf" disasm "$tmp/unknown_opcode.bin"
expect 2 "conformance: missing folder" "" -- "$ebpf" conformance "$tmp/nope"
expect 2 "conformance: folder without tests" "" -- "$ebpf" conformance "$tmp"
# ELF objects: a malformed one is built here; a real one is compiled when clang is present (the host
# build only: the runner is for other hosts' binaries), otherwise taken from the corpus if present.
printf '\177ELF\002\001\001\000garbage' >"$tmp/malformed.o"
expect 2 "prog show: malformed object" "" -- "$ebpf" prog show "$tmp/malformed.o"
expect 2 "prog show --json: malformed object" "" -- "$ebpf" prog show "$tmp/malformed.o" --json
expect 2 "prog show: missing file" "" -- "$ebpf" prog show "$tmp/nope.o"
expect 2 "prog show: no argument" "" -- "$ebpf" prog show
expect 2 "prog: unknown subcommand" "" -- "$ebpf" prog frobnicate
expect 2 "disasm: malformed object" "" -- "$ebpf" disasm "$tmp/malformed.o"
expect 2 "disasm: --program on raw bytecode" "" -- "$ebpf" disasm "$tmp/seven.bin" --program x
# --pcap: the capture is checked before the object is opened. Builds without libpcap (Windows) refuse
# the option itself, with the same contract.
printf '\324\303\262\241\002\000\004\000garbage' >"$tmp/malformed.pcap"
expect 2 "run: malformed pcap" "" -- "$ebpf" run "$tmp/malformed.o" --program x --pcap "$tmp/malformed.pcap"
expect 2 "run: missing pcap" "" -- "$ebpf" run "$tmp/malformed.o" --program x --pcap "$tmp/nope.pcap"
expect 2 "run: --pcap with --data-hex" "" -- "$ebpf" run "$tmp/malformed.o" --program x --data-hex 00 --pcap "$tmp/malformed.pcap"
obj=""
if [ -z "$runner" ] && command -v clang >/dev/null 2>&1; then
    printf '__attribute__((section("xdp"), used))\nint answer(void *ctx)\n{\n    return 42;\n}\n' >"$tmp/tiny.c"
    clang -O2 -g -target bpf -c "$tmp/tiny.c" -o "$tmp/tiny.o" >/dev/null 2>&1 && obj="$tmp/tiny.o"
fi
corpus_obj="$(dirname "$0")/../../../shared/corpus/linux/sockex1_kern.o"
[ -z "$obj" ] && [ -f "$corpus_obj" ] && obj="$corpus_obj"
echo "object fixture: ${obj:-none}"
if [ -n "$obj" ]; then
    expect 0 "prog show: valid object" "" -- "$ebpf" prog show "$obj"
    expect 0 "prog show --json: valid object" "" -- "$ebpf" prog show "$obj" --json
    expect 0 "disasm: valid object" "" -- "$ebpf" disasm "$obj"
    expect 2 "disasm: unknown program" "" -- "$ebpf" disasm "$obj" --program no_such_program
    expect 2 "disasm: --program without a name" "" -- "$ebpf" disasm "$obj" --program
else
    echo "SKIPPED: object cases (no clang and no corpus object)"
fi

expect 0 "plugin runs a valid program" "$tmp/seven.hex" -- "$plugin"
expect 1 "plugin: odd hex program" "$tmp/odd.hex" -- "$plugin"
expect 1 "plugin: empty program" "$tmp/empty.hex" -- "$plugin"
expect 1 "plugin: unknown opcode" "$tmp/unknown.hex" -- "$plugin"
expect 2 "plugin: bad memory hex" "$tmp/seven.hex" -- "$plugin" "0g  "
expect 2 "plugin: unknown option" "$tmp/seven.hex" -- "$plugin" --frobnicate

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
