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

/* The slot of scalar field f when it is stored as wide as in the UAPI (every scalar field is), or NULL. */
static const runtime_ctx_slot *scalar_slot(const runtime_ctx_table *table, const abi_ctx_field *f)
{
    const runtime_ctx_slot *s = runtime_ctx_slot_of(table, f->offset);
    return s && f->kind == ABI_CTX_KIND_SCALAR && s->record_size == f->size ? s : NULL;
}

/* Bytes of field f present in a UAPI struct of uapi_size bytes. */
static size_t present(const abi_ctx_field *f, size_t uapi_size)
{
    if (f->offset >= uapi_size)
        return 0;
    return uapi_size - f->offset < f->size ? uapi_size - f->offset : f->size;
}

void runtime_ctx_import(const runtime_ctx_table *table, void *record, const uint8_t *uapi, size_t uapi_size)
{
    size_t count;
    const abi_ctx_field *fields = abi_ctx_fields(table->layout, &count);
    for (size_t i = 0; i < count; i++) {
        const runtime_ctx_slot *s = scalar_slot(table, &fields[i]);
        if (!s)
            continue;
        uint8_t *dst = (uint8_t *)record + s->record_offset;
        memset(dst, 0, fields[i].size);
        size_t n = present(&fields[i], uapi_size);
        if (n)
            memcpy(dst, uapi + fields[i].offset, n);
    }
}

void runtime_ctx_export(const runtime_ctx_table *table, const void *record, uint8_t *uapi, size_t uapi_size)
{
    size_t count;
    const abi_ctx_field *fields = abi_ctx_fields(table->layout, &count);
    for (size_t i = 0; i < count; i++) {
        const runtime_ctx_slot *s = scalar_slot(table, &fields[i]);
        size_t n = s ? present(&fields[i], uapi_size) : 0;
        if (n)
            memcpy(uapi + fields[i].offset, (const uint8_t *)record + s->record_offset, n);
    }
}
