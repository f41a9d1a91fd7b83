/*
 * pcap_input.h - the packets of a capture file for `ebpf run --pcap`. Read with libpcap when the tool
 * is built with it (EBPF_HAVE_PCAP); otherwise (Windows builds, hosts without libpcap-dev) opening
 * fails with a reason saying that --pcap is unavailable in this build.
 */
#ifndef EBPF_CLI_PCAP_INPUT_H
#define EBPF_CLI_PCAP_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_pcap cli_pcap;

/* Opens a capture of Ethernet frames. Returns 0, or -1 with the reason in `why`. */
int cli_pcap_open(const char *path, cli_pcap **out, char *why, size_t why_size);

/* The next packet (its captured bytes, valid until the next call). Returns 1 with a packet, 0 at the
 * end of the file, -1 with the reason in `why` (truncated or corrupt record). */
int cli_pcap_next(cli_pcap *p, const uint8_t **data, size_t *size, char *why, size_t why_size);

void cli_pcap_close(cli_pcap *p);

#endif
