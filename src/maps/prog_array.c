/*
 * prog_array.c - BPF_MAP_TYPE_PROG_ARRAY: slots of program references for bpf_tail_call. The programs
 * are opaque here; the runtime's struct map_prog_class (from the map definition) names and releases
 * them. Programs cannot read or write the map except through tail calls (map_prog_array_get); user
 * space stores programs with map_sys_update_obj and reads back their ids.
 */
#include "maps/obj_array.h"

static int prog_array_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    int rc = obj_array_alloc(def, sizeof(struct obj_array), out, diag);
    if (rc)
        return rc;
    struct obj_array *a = (struct obj_array *)*out;
    if (def->prog_class) {
        a->id = def->prog_class->id;
        a->release = def->prog_class->release;
    }
    return 0;
}

void *map_prog_array_get(struct map *map, uint32_t index)
{
    if (map->type != ABI_MAP_TYPE_PROG_ARRAY)
        return NULL;
    return obj_array_get(map, index);
}

const struct map_ops map_ops_prog_array = {
    .check = obj_array_check,
    .alloc = prog_array_alloc,
    .free = obj_array_free,
    .sys_lookup = obj_array_sys_lookup,
    .sys_delete = obj_array_clear,
    .get_next_key = map_array_next_key,
    .update_obj = obj_array_set,
};
