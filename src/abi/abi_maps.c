/*
 * abi_maps.c - names of the Linux map types, expanded from map_types.def.
 */
#include "abi/abi_maps.h"

#include <string.h>

#define ABI_MAP_TYPE(ENUM, id, name, impl)                                                          \
    _Static_assert((int)ABI_MAP_TYPE_##ENUM == (int)ABI_MAP_TYPE_ORDINAL_##ENUM,                   \
                   "map_types.def: ids must be dense and in order (" #ENUM ")");
#include "abi/map_types.def"
#undef ABI_MAP_TYPE

static const char *const abi_map_type_names[ABI_MAP_TYPE_LIMIT] = {
#define ABI_MAP_TYPE(ENUM, id, name, impl) [id] = name,
#include "abi/map_types.def"
#undef ABI_MAP_TYPE
};

const char *abi_map_type_name(uint32_t type)
{
    return type < ABI_MAP_TYPE_LIMIT ? abi_map_type_names[type] : NULL;
}

int abi_map_type_from_name(const char *name)
{
    if (!name)
        return -1;
    for (uint32_t i = 0; i < ABI_MAP_TYPE_LIMIT; i++)
        if (abi_map_type_names[i] && strcmp(abi_map_type_names[i], name) == 0)
            return (int)i;
    return -1;
}
