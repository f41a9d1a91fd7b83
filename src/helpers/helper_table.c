/*
 * helper_table.c - the table of implemented Linux helpers, expanded from helpers_impl.def: one
 * struct ebpf_helper per row (Linux id from ABI_HELPER_ID_<name>, the Linux name, helper_<name>,
 * user NULL), in id order.
 *
 * A row naming a helper that abi/helpers.def marks UNSUPPORTED (no prototype: the verifier would
 * refuse every call) stops the build here, so the two lists cannot disagree silently.
 */
#include "helpers/helpers.h"
#include "helpers/helpers_int.h"

#include "abi/abi_helpers.h"

/* HELPER_PROTO_<name>: 1 when helpers.def gives the helper a prototype. */
enum {
#define ABI_HELPER(ID, NAME, RET, A1, A2, A3, A4, A5, FAMILY, FLAGS)                                 \
    HELPER_PROTO_##NAME = (ABI_RET_##RET != ABI_RET_UNSUPPORTED),
#include "abi/helpers.def"
#undef ABI_HELPER
};

#define HELPER_IMPL(NAME, FILE)                                                                      \
    _Static_assert(HELPER_PROTO_##NAME,                                                              \
                   "helper " #NAME " is implemented but abi/helpers.def marks it UNSUPPORTED");
#include "helpers/helpers_impl.def"
#undef HELPER_IMPL

static const struct ebpf_helper helper_table[] = {
#define HELPER_IMPL(NAME, FILE) { ABI_HELPER_ID_##NAME, #NAME, helper_##NAME, NULL },
#include "helpers/helpers_impl.def"
#undef HELPER_IMPL
};

#define HELPER_TABLE_COUNT (sizeof helper_table / sizeof helper_table[0])

const struct ebpf_helper *helper_linux_table(size_t *count)
{
    *count = HELPER_TABLE_COUNT;
    return helper_table;
}

const struct ebpf_helper *helper_linux_find(uint32_t id)
{
    size_t lo = 0, hi = HELPER_TABLE_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (helper_table[mid].id == id)
            return &helper_table[mid];
        if (helper_table[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
