/* abi_prog.c - the program-type table expanded from prog_types.def, and lookups in it. */
#include "abi/abi_prog.h"

#include <stddef.h>

static const abi_prog_type prog_types[] = {
#define ABI_PROG_TYPE(ID, NAME, VALUE, CTX, FAMILIES, RET_MIN, RET_MAX) \
    { VALUE, NAME, ABI_CTX_##CTX, ABI_FAMS_##FAMILIES, RET_MIN, RET_MAX },
#include "abi/prog_types.def"
#undef ABI_PROG_TYPE
};

const abi_prog_type *abi_prog_type_by_id(uint32_t id)
{
    for (size_t i = 0; i < sizeof prog_types / sizeof prog_types[0]; i++)
        if (prog_types[i].id == id)
            return &prog_types[i];
    return NULL;
}

const char *abi_prog_type_name(uint32_t id)
{
    const abi_prog_type *t = abi_prog_type_by_id(id);
    return t ? t->name : "unknown";
}

bool abi_prog_may_call(uint32_t prog_type, const abi_helper *h)
{
    const abi_prog_type *t = abi_prog_type_by_id(prog_type);
    return t && abi_helper_supported(h) && (t->families & (1u << h->family)) != 0;
}
