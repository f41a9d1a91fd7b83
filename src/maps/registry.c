/*
 * registry.c - the map types by Linux id, expanded from abi/map_types.def, and the stand-in ops of
 * types that are listed there but not implemented (creation fails with a message naming the type).
 */
#include "maps/map_int.h"

#define ABI_MAP_TYPE(ENUM, id, name, impl) extern const struct map_ops map_ops_##impl;
#include "abi/map_types.def"
#undef ABI_MAP_TYPE

static const struct map_ops *const map_registry[ABI_MAP_TYPE_LIMIT] = {
#define ABI_MAP_TYPE(ENUM, id, name, impl) [id] = &map_ops_##impl,
#include "abi/map_types.def"
#undef ABI_MAP_TYPE
};

const struct map_ops *map_ops_for_type(uint32_t type)
{
    return type < ABI_MAP_TYPE_LIMIT ? map_registry[type] : NULL;
}

static int unsupported_check(const struct map_def *def, ebpf_diag *diag)
{
    return map_fail(diag, def, -EINVAL, "map type '%s' (%u) is not supported",
                    abi_map_type_name(def->type), def->type);
}

const struct map_ops map_ops_unsupported = {
    .check = unsupported_check,
};
