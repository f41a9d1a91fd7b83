#!/bin/sh
# run_progs.sh EBPF OBJDIR - runs the clang-compiled test programs with `ebpf run --json` on crafted
# packets, on every engine, and checks retval, data_out and map contents (ns_per_run is dropped before
# comparing). Also checks the loader's and the CLI's refusals (exit 2, one line), and jit-dump on an
# object.
set -u
EBPF=$1
DIR=$2
fails=0
total=0

# check NAME EXPECTED_JSON ARGS...: the JSON line, without ns_per_run, must equal EXPECTED_JSON.
# With JIT_LOG set, the jit engine must also say (once, on stderr) that it fell back to the fast
# interpreter, and that line is left out of the comparison.
check() {
    name=$1; expected=$2; shift 2
    for engine in checked interp jit; do
        total=$((total + 1))
        got=$("$EBPF" run "$@" --engine $engine --json --dump-maps 2>&1 | sed 's/"ns_per_run":[0-9]*,//')
        if [ -n "${JIT_LOG:-}" ] && [ $engine = jit ]; then
            case "$got" in *"$JIT_LOG"*) got=$(printf '%s\n' "$got" | grep -v "$JIT_LOG") ;;
                           *) got="(no '$JIT_LOG' log line) $got" ;; esac
        fi
        if [ "$got" != "$expected" ]; then
            echo "FAIL $name ($engine)"; echo "  expected: $expected"; echo "  got:      $got"
            fails=$((fails + 1))
        fi
    done
}

# refuse NAME TEXT ARGS...: exit 2 and one stderr line containing TEXT.
refuse() {
    name=$1; text=$2; shift 2
    total=$((total + 1))
    err=$("$EBPF" run "$@" 2>&1 >/dev/null); rc=$?
    lines=$(printf '%s\n' "$err" | wc -l)
    case "$err" in *"$text"*) ok=1 ;; *) ok=0 ;; esac
    if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || [ $ok -ne 1 ]; then
        echo "FAIL $name: exit $rc, stderr: $err"; fails=$((fails + 1))
    fi
}

ETH_IP="ffffffffffff0000000000010800"
IP_UDP="4500001c00000000401100000a0000010a000002"
DNS="$ETH_IP$IP_UDP""1234003500080000"
OTHER="$ETH_IP$IP_UDP""1234003600080000"
TCP="$ETH_IP""4500001c00000000400600000a0000010a000002""1234003600080000"
D=$DIR/xdp_dns_drop.bpf.o
M='"maps":[{"name":"verdicts","entries":[{"key":"00000000","value":"%s"},{"key":"01000000","value":"%s"}]},{"name":".bss","entries":[{"key":"00000000","value":"2a00000000000000"}]},{"name":".rodata","entries":[{"key":"00000000","value":"3500"}]}]'
check dns_drop "{\"retval\":1,\"action\":\"XDP_DROP\",\"runs\":1,\"data_out\":\"$DNS\",$(printf "$M" 0000000000000000 0100000000000000)}" \
    "$D" --program xdp_dns_drop --data-hex "$DNS"
check dns_pass_udp "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$OTHER\",$(printf "$M" 0100000000000000 0000000000000000)}" \
    "$D" --program xdp_dns_drop --data-hex "$OTHER"
check dns_pass_tcp "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$TCP\",$(printf "$M" 0100000000000000 0000000000000000)}" \
    "$D" --program xdp_dns_drop --data-hex "$TCP"
# map pre-filled by --map-update: 2 earlier drops, then this one
check dns_map_update "{\"retval\":1,\"action\":\"XDP_DROP\",\"runs\":1,\"data_out\":\"$DNS\",$(printf "$M" 0000000000000000 0300000000000000)}" \
    "$D" --program xdp_dns_drop --data-hex "$DNS" --map-update verdicts 01000000 0200000000000000
# a truncated packet (Ethernet header only) passes
check dns_short "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$ETH_IP\",\"maps\":[{\"name\":\"verdicts\",\"entries\":[{\"key\":\"00000000\",\"value\":\"0100000000000000\"},{\"key\":\"01000000\",\"value\":\"0000000000000000\"}]},{\"name\":\".bss\",\"entries\":[{\"key\":\"00000000\",\"value\":\"0e00000000000000\"}]},{\"name\":\".rodata\",\"entries\":[{\"key\":\"00000000\",\"value\":\"3500\"}]}]}" \
    "$D" --program xdp_dns_drop --data-hex "$ETH_IP"

P=$DIR/xdp_pop_tag.bpf.o
TAGGED="aa000000ffffffffffff00000000000108004500"
check pop_tag_pass "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$TAGGED\",\"maps\":[{\"name\":\"strip\",\"entries\":[]},{\"name\":\"lengths\",\"entries\":[]}]}" \
    "$P" --program xdp_pop_tag --data-hex "$TAGGED"
check pop_tag_strip "{\"retval\":3,\"action\":\"XDP_TX\",\"runs\":1,\"data_out\":\"00ffffffffff00000000000108004500\",\"maps\":[{\"name\":\"strip\",\"entries\":[{\"key\":\"aa\",\"value\":\"01000000\"}]},{\"name\":\"lengths\",\"entries\":[{\"key\":\"aa\",\"value\":\"10000000\"}]}]}" \
    "$P" --program xdp_pop_tag --data-hex "$TAGGED" --map-update strip aa 01000000
# adjust_head would leave less than an Ethernet header: the helper fails, the program aborts
SHORT="bb000000ffffffffffff00000000000108"
check pop_tag_too_short "{\"retval\":0,\"action\":\"XDP_ABORTED\",\"runs\":1,\"data_out\":\"$SHORT\",\"maps\":[{\"name\":\"strip\",\"entries\":[{\"key\":\"bb\",\"value\":\"01000000\"}]},{\"name\":\"lengths\",\"entries\":[]}]}" \
    "$P" --program xdp_pop_tag --data-hex "$SHORT" --map-update strip bb 01000000

T=$DIR/xdp_tail_call.bpf.o
TPKT="ffffffffffff00000000000108004500"
TM='"maps":[{"name":"jmp_table","entries":[{"key":"00000000","value":"00000000"},{"key":"01000000","value":"00000000"},{"key":"02000000","value":"00000000"}]},{"name":"hits","entries":[{"key":"00000000","value":"%s"},{"key":"01000000","value":"00000000"}]}]'
# out-of-range and empty slots fail and the entry goes on; slot 0 -> slot 1 -> XDP_TX, no caller resumes
check tail_call_chain "{\"retval\":3,\"action\":\"XDP_TX\",\"runs\":1,\"data_out\":\"$TPKT\",$(printf "$TM" 00000000)}" \
    "$T" --program xdp_tail_entry --data-hex "$TPKT"
check tail_call_direct "{\"retval\":3,\"action\":\"XDP_TX\",\"runs\":1,\"data_out\":\"$TPKT\",$(printf "$TM" 00000000)}" \
    "$T" --program xdp_tail_a --data-hex "$TPKT"
# self tail call: 1 run + 33 tail calls (MAX_TAIL_CALL_CNT), then the call fails: XDP_PASS, hits 34
check tail_call_limit "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$TPKT\",$(printf "$TM" 22000000)}" \
    "$T" --program xdp_tail_loop --data-hex "$TPKT"
# the count is per run: 3 runs, 34 each
check tail_call_repeat "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":3,\"data_out\":\"$TPKT\",$(printf "$TM" 66000000)}" \
    "$T" --program xdp_tail_loop --data-hex "$TPKT" --repeat 3

L=$DIR/xdp_loop.bpf.o
PKT10="ffffffffffff00000000000108000a"
LM='"maps":[{"name":"vals","entries":[{"key":"00000000","value":"%s"},{"key":"01000000","value":"%s"},{"key":"02000000","value":"%s"},{"key":"03000000","value":"%s"}]},{"name":"out","entries":[{"key":"00000000","value":"%s"},{"key":"01000000","value":"%s"}]}]'
Z=0000000000000000
# The callbacks run as JIT code too: the jit engine must not log a fall-back (the output must match).
# bpf_loop(50): the callback adds index + 1 for index < 10, then returns 1: sum 55, 11 calls
check loop_stop "{\"retval\":3,\"action\":\"XDP_TX\",\"runs\":1,\"data_out\":\"$PKT10\",$(printf "$LM" $Z $Z $Z $Z 3700000000000000 0b00000000000000)}" \
    "$L" --program xdp_loop --data-hex "$PKT10"
# limit 255 is capped at 100: all 50 calls run, sum 1275
check loop_all "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"ffffffffffff0000000000010800ff\",$(printf "$LM" $Z $Z $Z $Z fb04000000000000 3200000000000000)}" \
    "$L" --program xdp_loop --data-hex "ffffffffffff0000000000010800ff"
# for_each over 4 array entries, 2 of them > 0: 4 calls
check foreach_count "{\"retval\":1,\"action\":\"XDP_DROP\",\"runs\":1,\"data_out\":\"$PKT10\",$(printf "$LM" $Z 0500000000000000 $Z 0100000000000000 0200000000000000 0400000000000000)}" \
    "$L" --program xdp_foreach --data-hex "$PKT10" --map-update vals 01000000 0500000000000000 --map-update vals 03000000 0100000000000000
# the callback returns 1 at the entry holding 99: 3 calls, count 1
check foreach_stop "{\"retval\":2,\"action\":\"XDP_PASS\",\"runs\":1,\"data_out\":\"$PKT10\",$(printf "$LM" $Z 0500000000000000 6300000000000000 0100000000000000 0100000000000000 0300000000000000)}" \
    "$L" --program xdp_foreach --data-hex "$PKT10" --map-update vals 01000000 0500000000000000 --map-update vals 02000000 6300000000000000 --map-update vals 03000000 0100000000000000

refuse unknown_program "no program named 'nope'" "$D" --program nope --data-hex "$DNS"
refuse unknown_map "no map named 'nomap'" "$D" --program xdp_dns_drop --data-hex "$DNS" --map-update nomap 00000000 0000000000000000
refuse bad_hex "not a hex digit" "$D" --program xdp_dns_drop --data-hex "zz"
refuse bad_value_size "the map wants 4 and 8" "$D" --program xdp_dns_drop --data-hex "$DNS" --map-update verdicts 00000000 00
refuse malformed "not an ELF file" "$0" --program x --data-hex "$DNS"
refuse packet_too_short "the packet must have 14" "$D" --program xdp_dns_drop --data-hex "00"
refuse bad_helper "instruction 1: helper 44 (bpf_xdp_adjust_head) is not available to socket_filter programs" \
    "$DIR/bad_helper.bpf.o" --program bad_helper --data-hex "$DNS"

# jit-dump of an object's program: the header line, then code (raw hex: objdump may be missing)
total=$((total + 1))
out=$("$EBPF" jit-dump "$D" --program xdp_dns_drop --raw 2>&1); rc=$?
case "$out" in "; $D:xdp_dns_drop: 60 eBPF instructions -> "*" bytes of x86-64"*"       0: 55"*) ok=1 ;; *) ok=0 ;; esac
if [ $rc -ne 0 ] || [ $ok -ne 1 ]; then echo "FAIL jit_dump_object: exit $rc: $out" | head -3; fails=$((fails + 1)); fi
total=$((total + 1))
err=$("$EBPF" jit-dump "$DIR/xdp_tail_call.bpf.o" 2>&1 >/dev/null); rc=$?
case "$err" in *"has 4 programs; name one with --program"*) ok=1 ;; *) ok=0 ;; esac
if [ $rc -ne 2 ] || [ $ok -ne 1 ]; then echo "FAIL jit_dump_which: exit $rc: $err"; fails=$((fails + 1)); fi

echo "progs.run: $((total - fails))/$total passed"
[ $fails -eq 0 ]
