/*
 * helpers.h - the Linux helpers implemented here, as the runtime registers them: one table of
 * struct ebpf_helper (Linux id, name, function; user = NULL: helpers find their state through
 * helper_run_current(), see helper_run.h). Which program types may call which helper is the ABI
 * table's business (abi/abi_helpers.h); this table only says what exists.
 */
#ifndef EBPF_HELPERS_HELPERS_H
#define EBPF_HELPERS_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf/ebpf.h"
#include "helpers/helper_run.h"

/* Every implemented helper, in increasing id order; *count receives the number of entries. The
 * array is static and lives as long as the program. */
const struct ebpf_helper *helper_linux_table(size_t *count);

/* The implemented helper with Linux id `id`, or NULL. */
const struct ebpf_helper *helper_linux_find(uint32_t id);

#endif
