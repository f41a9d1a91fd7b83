#!/bin/sh
# cli_run_repeat.sh BIN_DIR - `ebpf run --repeat N`: the N runs are split into timed batches (median
# ns per run), and none is lost or run twice. A tiny XDP program, compiled here by clang, adds 1 to
# packet byte 14 and to an array-map counter on every run; for each N and engine the JSON output must
# say "runs":N, carry a numeric ns_per_run, and show byte 14 = N mod 256 (batches hand the packet on,
# as one call of N runs would) and the counter = N. Without clang: SKIPPED, exit 77.
set -u
ebpf=$1/ebpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v clang >/dev/null 2>&1; then
    echo "SKIPPED: cli.run_repeat needs clang"
    exit 77
fi
# No libbpf headers needed: the BTF map definition and the helper are spelled out.
cat >"$tmp/count.c" <<'EOF'
struct xdp_md { unsigned data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; };
#define SEC(name) __attribute__((section(name), used))
struct {
    int (*type)[2];            /* BPF_MAP_TYPE_ARRAY */
    int (*max_entries)[1];
    unsigned *key;
    unsigned long long *value;
} counts SEC(".maps");
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
SEC("xdp") int count(struct xdp_md *ctx)
{
    unsigned char *p = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    if (p + 15 > end)
        return 0;
    p[14]++;
    unsigned key = 0;
    unsigned long long *v = bpf_map_lookup_elem(&counts, &key);
    if (v)
        (*v)++;
    return 2;
}
char LICENSE[] SEC("license") = "GPL";
EOF
if ! clang -O2 -g -target bpf -c "$tmp/count.c" -o "$tmp/count.o" 2>"$tmp/clang.err"; then
    echo "FAIL: clang could not build the fixture:"; cat "$tmp/clang.err"
    exit 1
fi

PKT=ffffffffffff00000000000108000000 # 16 bytes, byte 14 = 0
passed=0
failed=0
for n in 1 2 7 31 32 1000 100003; do
    for engine in checked jit; do
        out=$("$ebpf" run "$tmp/count.o" --program count --data-hex $PKT --repeat $n --engine $engine --json \
              --dump-maps 2>&1)
        byte=$(printf '%02x' $((n % 256)))
        count=$(printf '%016x' $n | sed 's/\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)/\8\7\6\5\4\3\2\1/')
        data="ffffffffffff0000000000010800${byte}00"
        ok=1
        case "$out" in *"\"ns_per_run\":"[0-9]*) ;; *) ok=0 ;; esac
        case "$out" in *"\"runs\":$n,"*) ;; *) ok=0 ;; esac
        case "$out" in *"\"data_out\":\"$data\""*) ;; *) ok=0 ;; esac
        case "$out" in *"{\"key\":\"00000000\",\"value\":\"$count\"}"*) ;; *) ok=0 ;; esac
        if [ $ok -eq 1 ]; then
            passed=$((passed + 1))
        else
            echo "FAIL --repeat $n --engine $engine: want runs $n, byte 14 $byte, counter $count; got: $out"
            failed=$((failed + 1))
        fi
    done
done
# The text form names the batches.
text=$("$ebpf" run "$tmp/count.o" --program count --data-hex $PKT --repeat 100 2>&1)
case "$text" in
    *"100 runs, "*" ns per run (median of 31 batches)"*) passed=$((passed + 1)) ;;
    *) echo "FAIL text output: $text"; failed=$((failed + 1)) ;;
esac

echo "cli.run_repeat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
