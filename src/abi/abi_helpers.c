/* abi_helpers.c - the helper table expanded from helpers.def, and lookups by id and by name. */
#include "abi/abi_helpers.h"

#include <string.h>

static const abi_helper helper_table[] = {
#define ABI_HELPER(ID, NAME, RET, A1, A2, A3, A4, A5, FAMILY, FLAGS)                                     \
    { ID, #NAME, ABI_RET_##RET, { ABI_ARG_##A1, ABI_ARG_##A2, ABI_ARG_##A3, ABI_ARG_##A4, ABI_ARG_##A5 }, \
      ABI_FAMILY_##FAMILY, FLAGS },
#include "abi/helpers.def"
#undef ABI_HELPER
};

#define HELPER_COUNT (sizeof helper_table / sizeof helper_table[0])
_Static_assert(HELPER_COUNT == ABI_HELPER_ID_LIMIT, "helpers.def lists every id from 0 in order");

const abi_helper *abi_helper_by_id(uint32_t id)
{
    return id < HELPER_COUNT ? &helper_table[id] : NULL;
}

const abi_helper *abi_helper_by_name(const char *name)
{
    if (strncmp(name, "bpf_", 4) == 0)
        name += 4;
    for (size_t i = 0; i < HELPER_COUNT; i++)
        if (strcmp(helper_table[i].name, name) == 0)
            return &helper_table[i];
    return NULL;
}
