/*
 * sound_input.h - random test-run inputs for the soundness harness: packets that parsers follow deep
 * (Ethernet, VLAN tags, IPv4 with options, IPv6, TCP, UDP, ICMP, with random fields and random
 * truncation, or plain noise) and random contexts (xdp_md metadata, __sk_buff fields, bpf_sock_addr,
 * raw tracing records), per the family of context a program type gets.
 */
#ifndef SOUND_INPUT_H
#define SOUND_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sound_rng.h"

#define SOUND_PACKET_MAX 1500u
#define SOUND_CTX_MAX 512u

typedef enum sound_kind {
    SOUND_XDP,        /* packet, optional xdp_md with metadata */
    SOUND_SKB,        /* Ethernet frame, optional __sk_buff */
    SOUND_SOCK_ADDR,  /* bpf_sock_addr only */
    SOUND_RAW,        /* a raw record (pt_regs, tracepoint) only; its size learnt by a first run */
} sound_kind;

typedef struct sound_input {
    uint8_t data[SOUND_PACKET_MAX];
    size_t data_size;
    uint8_t ctx[SOUND_CTX_MAX];
    size_t ctx_size;  /* 0: no ctx_in */
} sound_input;

/* The input family of a program type name (ebpf_program_info.type). */
sound_kind sound_kind_of(const char *type);

/* A random packet of 14..SOUND_PACKET_MAX bytes (test run needs the Ethernet header). */
void sound_packet(sound_rng *r, uint8_t *buf, size_t *size);

/* A random input for kind; raw_size: the record size of SOUND_RAW programs. */
void sound_input_make(sound_rng *r, sound_kind kind, size_t raw_size, sound_input *in);

#endif
