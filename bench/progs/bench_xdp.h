/* bench_xdp.h - shared by the bench_jit XDP programs (bench/progs/NAME.bpf.c) and their native twins
 * (bench/jit_native.c): the packet layout and the constants both sides use. Every program except nop
 * writes its 32-bit result into the last 4 bytes of the packet (little-endian) and returns XDP_PASS;
 * no program reads those bytes, so repeated runs on the same buffer see the same input. */
#ifndef BENCH_XDP_H
#define BENCH_XDP_H

#define BENCH_PKT_LEN 128     /* Ethernet + IPv4 + UDP + 86 bytes of payload */
#define BENCH_RESULT_OFF 124  /* where the result goes */
#define BENCH_ALU_BYTES 120   /* bytes the ALU loop hashes */
#define BENCH_SEED_OFF 64     /* payload word that seeds the map and branchy programs (0 in the packet) */
#define BENCH_MAP_LOOKUPS 64
#define BENCH_HASH_MULT 0x9e3779b1u /* hash-map keys: (i + seed) * BENCH_HASH_MULT */
#define BENCH_BRANCHY_ITERS 256

#endif
