/*
 * verify_cache.h - verdicts remembered per exact verifier request (verify_cache.c).
 */
#ifndef EBPF_RUNTIME_VERIFY_CACHE_H
#define EBPF_RUNTIME_VERIFY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

/* True with *out filled (out->state a fresh copy, free with vf_result_free) when the verifier has
 * already answered this exact request (vf_wire request bytes) in this process. */
bool verify_cache_find(const uint8_t *request, size_t size, vf_result *out);

/* Remembers an accept or reject verdict for the request (other results are ignored). */
void verify_cache_store(const uint8_t *request, size_t size, const vf_result *result);

#endif
