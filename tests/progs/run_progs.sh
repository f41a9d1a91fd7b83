#!/bin/sh
# run_progs.sh EBPF OBJDIR - runs the clang-compiled test programs with `ebpf run --json` on crafted
# packets, on every engine, and checks retval, data_out and map contents (ns_per_run is dropped before
# comparing). Also checks the loader's and the CLI's refusals (exit 2, one line).
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

# check_map NAME MAP EXPECTED_ENTRIES ARGS...: only map MAP's entries (the JSON array) must equal
# EXPECTED_ENTRIES, on every engine (for objects whose other maps depend on the host, e.g. per-CPU).
check_map() {
    name=$1; map=$2; expected=$3; shift 3
    for engine in checked interp jit; do
        total=$((total + 1))
        got=$("$EBPF" run "$@" --engine $engine --json --dump-maps 2>/dev/null |
              sed -n "s/.*{\"name\":\"$map\",\"entries\":\(\[[^]]*\]\)}.*/\1/p")
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
# jmp_table values are program ids, given in load order: xdp_tail_a 1, xdp_tail_b 2, xdp_tail_loop 3
TM='"maps":[{"name":"jmp_table","entries":[{"key":"00000000","value":"01000000"},{"key":"01000000","value":"02000000"},{"key":"02000000","value":"03000000"}]},{"name":"hits","entries":[{"key":"00000000","value":"%s"},{"key":"01000000","value":"00000000"}]}]'
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
JIT_LOG="not JIT-compiled, running in the fast interpreter: it passes callback functions"
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
JIT_LOG=

# kd_* programs (kd_prog.h command packets; progs.kernel compares them with the kernel)
KD="ffffffffffff00000000000188b50000"
ENTRY='{"key":"0%s000000","value":"%s"}'
E0=0000000000000000
# map-in-map values are map ids, given in creation order: the inner templates (1, 2), inner_a 3,
# inner_b 4, outer_arr 5, inner_h 6
check_map map_in_map_ids outer_arr "[$(printf "$ENTRY" 0 03000000),$(printf "$ENTRY" 2 04000000)]" \
    "$DIR/kd_mim.bpf.o" --program kd_mim --data-hex "${KD}010000000000000000000000"
check_map map_in_map_ids_hash outer_hash "[$(printf "$ENTRY" 1 06000000)]" \
    "$DIR/kd_mim.bpf.o" --program kd_mim --data-hex "${KD}010000000000000000000000"
# bpf_map_lookup_percpu_elem's value is readable in checked mode: update parr[2] = 5 on this CPU, read
# it back on this CPU (5), on CPU 64 (absent: -1000)
REST="$(printf "$ENTRY" 3 $E0),$(printf "$ENTRY" 4 $E0),$(printf "$ENTRY" 5 $E0),$(printf "$ENTRY" 6 $E0),$(printf "$ENTRY" 7 $E0)"
check_map percpu_lookup res "[$(printf "$ENTRY" 0 $E0),$(printf "$ENTRY" 1 0500000000000000),$(printf "$ENTRY" 2 18fcffffffffffff),$REST]" \
    "$DIR/kd_array.bpf.o" --program kd_array \
    --data-hex "${KD}020100000200000005000000080100000200000000000000080100400200000000000000"

refuse unknown_program "no program named 'nope'" "$D" --program nope --data-hex "$DNS"
refuse unknown_map "no map named 'nomap'" "$D" --program xdp_dns_drop --data-hex "$DNS" --map-update nomap 00000000 0000000000000000
refuse bad_hex "not a hex digit" "$D" --program xdp_dns_drop --data-hex "zz"
refuse bad_value_size "the map wants 4 and 8" "$D" --program xdp_dns_drop --data-hex "$DNS" --map-update verdicts 00000000 00
refuse malformed "not an ELF file" "$0" --program x --data-hex "$DNS"
refuse packet_too_short "the packet must have 14" "$D" --program xdp_dns_drop --data-hex "00"
refuse bad_helper "instruction 1: helper 44 (bpf_xdp_adjust_head) is not available to socket_filter programs" \
    "$DIR/bad_helper.bpf.o" --program bad_helper --data-hex "$DNS"

echo "progs.run: $((total - fails))/$total passed"
[ $fails -eq 0 ]
