/*
 * ctx_tables.c - finding a layout's context table (ctx_records.h) and the generic conversions between
 * a UAPI context struct and the runtime's record that test-run uses for ctx_in and ctx_out.
 */
#include <string.h>

#include "runtime/ctx_records.h"

const runtime_ctx_table *runtime_ctx_table_of(abi_ctx_layout layout)
{
    switch (layout) {
    case ABI_CTX_XDP: return &runtime_ctx_table_xdp;
    case ABI_CTX_SKB: return &runtime_ctx_table_skb;
    case ABI_CTX_SOCK_ADDR: return &runtime_ctx_table_sock_addr;
    default: return NULL;
    }
}

const runtime_ctx_slot *runtime_ctx_slot_of(const runtime_ctx_table *table, uint16_t uapi_offset)
{
    for (size_t i = 0; i < table->count; i++)
        if (table->slots[i].uapi_offset == uapi_offset)
            return &table->slots[i];
    return NULL;
}

/* The scalar fields of the layout with their slots; calls fn for each. */
static void each_scalar(const runtime_ctx_table *table,
                        void (*fn)(const abi_ctx_field *f, const runtime_ctx_slot *s, void *rec, uint8_t *uapi,
                                   size_t uapi_size),
                        void *rec, uint8_t *uapi, size_t uapi_size)
{
    size_t count;
    const abi_ctx_field *fields = abi_ctx_fields(table->layout, &count);
    for (size_t i = 0; i < count; i++) {
        const runtime_ctx_slot *s = runtime_ctx_slot_of(table, fields[i].offset);
        if (s && fields[i].kind == ABI_CTX_KIND_SCALAR && s->record_size == fields[i].size)
            fn(&fields[i], s, rec, uapi, uapi_size);
    }
}

static void import_one(const abi_ctx_field *f, const runtime_ctx_slot *s, void *rec, uint8_t *uapi, size_t uapi_size)
{
    uint8_t *dst = (uint8_t *)rec + s->record_offset;
    memset(dst, 0, f->size);
    if (f->offset < uapi_size)
        memcpy(dst, uapi + f->offset, uapi_size - f->offset < f->size ? uapi_size - f->offset : f->size);
}

static void export_one(const abi_ctx_field *f, const runtime_ctx_slot *s, void *rec, uint8_t *uapi, size_t uapi_size)
{
    const uint8_t *src = (const uint8_t *)rec + s->record_offset;
    if (f->offset < uapi_size)
        memcpy(uapi + f->offset, src, uapi_size - f->offset < f->size ? uapi_size - f->offset : f->size);
}

void runtime_ctx_import(const runtime_ctx_table *table, void *record, const uint8_t *uapi, size_t uapi_size)
{
    each_scalar(table, import_one, record, (uint8_t *)(uintptr_t)uapi, uapi_size);
}

void runtime_ctx_export(const runtime_ctx_table *table, const void *record, uint8_t *uapi, size_t uapi_size)
{
    each_scalar(table, export_one, (void *)(uintptr_t)record, uapi, uapi_size);
}
