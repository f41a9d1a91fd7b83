/*
 * pcap_input.c - capture-file reading for `ebpf run --pcap` through libpcap (pcap_open_offline,
 * pcap_next_ex), or, in builds without libpcap, an open that always fails saying so.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pcap_input.h"

#ifdef EBPF_HAVE_PCAP
#include <pcap/pcap.h>

struct cli_pcap {
    pcap_t *handle;
};

int cli_pcap_open(const char *path, cli_pcap **out, char *why, size_t why_size)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    *out = NULL;
    pcap_t *handle = pcap_open_offline(path, errbuf);
    if (!handle) {
        snprintf(why, why_size, "%s", errbuf[0] ? errbuf : "not a capture file");
        return -1;
    }
    int link = pcap_datalink(handle);
    if (link != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(link);
        snprintf(why, why_size, "link type %d (%s) is not Ethernet: XDP programs take Ethernet frames", link,
                 name ? name : "unknown");
        pcap_close(handle);
        return -1;
    }
    cli_pcap *p = malloc(sizeof *p);
    if (!p) {
        snprintf(why, why_size, "out of memory");
        pcap_close(handle);
        return -1;
    }
    p->handle = handle;
    *out = p;
    return 0;
}

int cli_pcap_next(cli_pcap *p, const uint8_t **data, size_t *size, char *why, size_t why_size)
{
    struct pcap_pkthdr *header;
    const u_char *bytes;
    int rc = pcap_next_ex(p->handle, &header, &bytes);
    if (rc == 1) {
        *data = bytes;
        *size = header->caplen;
        return 1;
    }
    if (rc == PCAP_ERROR_BREAK)
        return 0;
    snprintf(why, why_size, "%s", rc == PCAP_ERROR ? pcap_geterr(p->handle) : "unreadable record");
    return -1;
}

void cli_pcap_close(cli_pcap *p)
{
    if (!p)
        return;
    pcap_close(p->handle);
    free(p);
}

#else /* no libpcap in this build */

struct cli_pcap {
    int unused;
};

int cli_pcap_open(const char *path, cli_pcap **out, char *why, size_t why_size)
{
    (void)path;
    *out = NULL;
#ifdef _WIN32
    snprintf(why, why_size, "--pcap is unavailable: Windows builds have no libpcap");
#else
    snprintf(why, why_size, "--pcap is unavailable: this ebpf was built without libpcap (install libpcap-dev "
                            "and reconfigure)");
#endif
    return -1;
}

int cli_pcap_next(cli_pcap *p, const uint8_t **data, size_t *size, char *why, size_t why_size)
{
    (void)p, (void)data, (void)size;
    snprintf(why, why_size, "--pcap is unavailable");
    return -1;
}

void cli_pcap_close(cli_pcap *p)
{
    (void)p;
}
#endif
