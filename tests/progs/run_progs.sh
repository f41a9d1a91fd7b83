#!/bin/sh
# run_progs.sh EBPF OBJDIR - runs the clang-compiled test programs with `ebpf run --json` on crafted
# packets and contexts (--ctx-hex), on every engine, and checks retval, data_out, ctx_out and map
# contents (ns_per_run is dropped before comparing). Also checks the loader's and the CLI's refusals
# (exit 2, one line), and jit-dump on an object.
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

# ---- skb programs (tc classifier, socket filter) ----
# Every expected value below (retval, data_out, ctx_out) was produced by the Linux kernel (6.18) with
# BPF_PROG_TEST_RUN on the same objects and inputs (libbpf's bpf_prog_test_run_opts; the oracle is not
# part of the product). Packets: Ethernet to 00:00:00:00:00:00 (the loopback's address) from 10.0.0.1.
# P1 UDP 10.0.0.99:53 (address and port rewritten, checksums kept valid), P2 TCP to port 23 (dropped),
# P3 UDP broadcast frame to 10.0.0.5:80 (untouched), P4 UDP 10.0.0.99:80 (address only), P6 IPv6 UDP,
# ARP a short ARP frame. CTX a struct __sk_buff with mark 5, ingress_ifindex 3, cb[4] 9, tstamp 77,
# wire_len 100, gso_segs 2, gso_size 1400, hwtstamp 88.
skb_json() { printf '{"retval":%s,"action":null,"runs":1,"data_out":"%s","ctx_out":"%s","maps":[]}' "$1" "$2" "$3"; }
P1=00000000000000000000000108004500002000010000401166690a0000010a00006312340035000c144361626364
P2=00000000000000000000000108004500002800010000400666cd0a0000010a0000021234001700000001000000005002200069940000
P3=ffffffffffff00000000000108004500002000010000401166c70a0000010a00000512340050000c148661626364
P4=00000000000000000000000108004500002000010000401166690a0000010a00006312340050000c142861626364
P6=00000000000000000000000186dd600000000008114020010db800000000000000000000000120010db80000000000000000000000021234003500080000
ARP=ffffffffffff0000000000010806aabbccdd
CTX=00000000000000000500000000000000000000000000000000000000000000000000000003000000000000000000000000000000000000000000000000000000090000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004d000000000000006400000002000000000000000000000078050000000000005800000000000000
check tc_nat_dns "$(skb_json 0 "00000000000000000000000108004500002000010000401166ca0a0000010a000002123414e9000cffef61626364" 00000000000000002e000000000000000000000000000000000000000000000007000000000000000100000000000000080000002e00000011000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002e00000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P1"
check tc_nat_telnet "$(skb_json 2 "$P2" 000000000000000036000000000000000000000000000000000000000000000007000000000000000100000000000000080000003600000006000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003600000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P2"
check tc_nat_other "$(skb_json 0 "$P3" 00000000000000002e000000000000000000000000000000000000000000000007000000000000000100000000000000080000002e00000011000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002e00000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P3"
check tc_nat_addr_only "$(skb_json 0 "00000000000000000000000108004500002000010000401166ca0a0000010a00000212340050000c148961626364" 00000000000000002e000000000000000000000000000000000000000000000007000000000000000100000000000000080000002e00000011000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002e00000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P4"
check tc_nat_ipv6 "$(skb_json 0 "$P6" 00000000000000003e00000000000000000000000000000000000000000000000000000000000000010000000000000086dd00003e00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003e00000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P6"
check tc_nat_ctx_in "$(skb_json 0 "00000000000000000000000108004500002000010000401166ca0a0000010a000002123414e9000cffef61626364" 00000000000000002e000000000000000000000000000000000000000000000007000000030000000100000000000000080000002e0000001100000000000000090000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004d000000000000006400000002000000000000000000000078050000000000005800000000000000)" \
    "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P1" --ctx-hex "$CTX"
check sf_udp "$(skb_json 32 "00000000000000000000000000004500002000010000401166690a0000010a00006312340035000c144361626364" 000000000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/sock_filter_len.bpf.o" --program sock_filter_len --data-hex "$P1"
check sf_tcp "$(skb_json 20 "00000000000000000000000000004500002800010000400666cd0a0000010a0000021234001700000001000000005002200069940000" 000000000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002800000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/sock_filter_len.bpf.o" --program sock_filter_len --data-hex "$P2"
check sf_arp "$(skb_json 0 "0000000000000000000000000000aabbccdd" 000000000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000020000000800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/sock_filter_len.bpf.o" --program sock_filter_len --data-hex "$ARP"
check sf_ipv6 "$(skb_json 0 "0000000000000000000000000000600000000008114020010db800000000000000000000000120010db80000000000000000000000021234003500080000" 000000000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000008600000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000)" \
    "$DIR/sock_filter_len.bpf.o" --program sock_filter_len --data-hex "$P6"

# ---- cgroup/connect4 (Linux has no test run for cgroup_sock_addr: expected values follow the
# program's source). ctx_in: struct bpf_sock_addr, user_family AF_INET, type SOCK_STREAM, protocol TCP.
Z64=0000000000000000000000000000000000000000000000000000000000000000 # msg_src_ip4, msg_src_ip6, padding, sk
sa() { printf '02000000%s00000000000000000000000000000000%s0000020000000100000006000000%s' "$1" "$2" "$Z64"; }
C4=$DIR/connect4_redirect.bpf.o
check connect4_redirect "{\"retval\":1,\"action\":null,\"runs\":1,\"data_out\":\"\",\"ctx_out\":\"$(sa 7f000001 1f90)\",\"maps\":[]}" \
    "$C4" --program connect4_redirect --ctx-hex "$(sa 0a000001 0050)"
check connect4_deny "{\"retval\":0,\"action\":null,\"runs\":1,\"data_out\":\"\",\"ctx_out\":\"$(sa c0a80101 0050)\",\"maps\":[]}" \
    "$C4" --program connect4_redirect --ctx-hex "$(sa c0a80101 0050)"
check connect4_other_port "{\"retval\":1,\"action\":null,\"runs\":1,\"data_out\":\"\",\"ctx_out\":\"$(sa 0a000001 01bb)\",\"maps\":[]}" \
    "$C4" --program connect4_redirect --ctx-hex "$(sa 0a000001 01bb)"

# ---- XDP with ctx_in (an xdp_md: data = 4 bytes of metadata at the start of data_in, data_end = 20);
# retval, data_out and ctx_out produced by the Linux 6.18 kernel (BPF_PROG_TEST_RUN). ingress_ifindex 0
# in ctx_in reads as 1 (the loopback's queue) and comes back 0 in ctx_out, as in Linux.
XM=$DIR/xdp_meta.bpf.o
check xdp_meta_ctx_in '{"retval":187010,"action":null,"runs":1,"data_out":"77bbccdd0000000000000000000108004500","ctx_out":"040000001200000000000000000000000000000000000000","maps":[]}' \
    "$XM" --program xdp_meta --data-hex aabbccdd00000000000000000000000108004500 --ctx-hex 040000001400000000000000000000000000000000000000
check xdp_meta_no_ctx '{"retval":101,"action":null,"runs":1,"data_out":"aabbccdd00000000000000000000000108004500","maps":[]}' \
    "$XM" --program xdp_meta --data-hex aabbccdd00000000000000000000000108004500
# ---- CO-RE relocations on a UAPI context struct (a local flavour of xdp_md) hold as compiled
check core_ctx_ipv4 '{"retval":2,"action":"XDP_PASS","runs":1,"data_out":"ffffffffffff0000000000010800ff","maps":[]}' \
    "$DIR/core_ctx.bpf.o" --program core_ctx --data-hex ffffffffffff0000000000010800ff
check core_ctx_ipv6 '{"retval":1,"action":"XDP_DROP","runs":1,"data_out":"ffffffffffff0000000000018600ff","maps":[]}' \
    "$DIR/core_ctx.bpf.o" --program core_ctx --data-hex ffffffffffff0000000000018600ff
refuse xdp_ctx_data_end "data_end the packet size (20)" "$XM" --program xdp_meta \
    --data-hex aabbccdd00000000000000000000000108004500 --ctx-hex 040000001000000000000000

# ---- kprobe (a raw context: reads pass through unchanged against the pt_regs record given as ctx_in;
# Linux has no test run for kprobes): di 40 + si 2 + low byte of ip 0x1234 = 94; ctx_out is ctx_in.
KP=000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002000000000000002800000000000000000000000000000034120000000000000000000000000000000000000000000000000000000000000000000000000000
check kprobe_args "{\"retval\":94,\"action\":null,\"runs\":1,\"data_out\":\"\",\"ctx_out\":\"$KP\",\"maps\":[]}" \
    "$DIR/kprobe_args.bpf.o" --program kprobe_args --ctx-hex "$KP"
refuse kprobe_packet "kprobe programs take no packet" "$DIR/kprobe_args.bpf.o" --program kprobe_args --data-hex "$P1"

# refusals of test run inputs, as Linux refuses them (-EINVAL / -ENODEV) or ours (sock_addr without ctx)
refuse skb_ctx_field "byte 4 of struct __sk_buff must be zero" "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P1" --ctx-hex 0000000001
refuse skb_ctx_ifindex "no device with ifindex 99" "$DIR/tc_nat.bpf.o" --program tc_nat --data-hex "$P1" \
    --ctx-hex 00000000000000000000000000000000000000000000000000000000000000000000000000000000630000
refuse skb_short_ipv4 "an IPv4 frame must hold the 20-byte IP header" "$DIR/tc_nat.bpf.o" --program tc_nat \
    --data-hex 0000000000000000000000010800450000
refuse sock_addr_no_ctx "cgroup_sock_addr programs need ctx_in" "$C4" --program connect4_redirect --data-hex "$P1"
refuse sock_addr_packet "take no packet (data_in), only ctx_in" "$C4" --program connect4_redirect \
    --ctx-hex "$(sa 0a000001 0050)" --data-hex "$P1"
refuse skb_ctx_too_long "ctx_in has 193 bytes; the context has 192 and byte 192 is not zero" "$DIR/tc_nat.bpf.o" \
    --program tc_nat --data-hex "$P1" --ctx-hex "${CTX}01"
refuse ctx_with_pcap "--ctx-hex does not combine with --pcap" "$DIR/tc_nat.bpf.o" --program tc_nat --pcap /dev/null \
    --ctx-hex 00
refuse bad_ctx_hex "bad --ctx-hex" "$C4" --program connect4_redirect --ctx-hex "0g"

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
