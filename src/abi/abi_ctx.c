/*
 * abi_ctx.c - the context layouts expanded from ctx_fields.def, and the access rule: which context
 * reads and writes a program type may make (field, size, alignment, read/write permission).
 */
#include "abi/abi_ctx.h"

#include "abi/abi_prog.h"

static const abi_ctx_desc layouts[ABI_CTX_LAYOUT_COUNT] = {
#define ABI_CTX_LAYOUT(LAYOUT, SIZE, RAW) [ABI_CTX_##LAYOUT] = { ABI_CTX_##LAYOUT, #LAYOUT, SIZE, RAW },
#define ABI_CTX_FIELD(LAYOUT, NAME, OFFSET, SIZE, KIND, ACCESS)
#include "abi/ctx_fields.def"
#undef ABI_CTX_FIELD
#undef ABI_CTX_LAYOUT
};

/* Every field of every layout; a layout's rows are consecutive and in offset order. */
static const abi_ctx_field all_fields[] = {
#define ABI_CTX_LAYOUT(LAYOUT, SIZE, RAW)
#define ABI_CTX_FIELD(LAYOUT, NAME, OFFSET, SIZE, KIND, ACCESS) { #NAME, OFFSET, SIZE, ABI_CTX_KIND_##KIND, ACCESS },
#include "abi/ctx_fields.def"
#undef ABI_CTX_FIELD
#undef ABI_CTX_LAYOUT
};

/* The layout of each row of all_fields. */
static const abi_ctx_layout field_layouts[] = {
#define ABI_CTX_LAYOUT(LAYOUT, SIZE, RAW)
#define ABI_CTX_FIELD(LAYOUT, NAME, OFFSET, SIZE, KIND, ACCESS) ABI_CTX_##LAYOUT,
#include "abi/ctx_fields.def"
#undef ABI_CTX_FIELD
#undef ABI_CTX_LAYOUT
};

#define FIELD_COUNT (sizeof all_fields / sizeof all_fields[0])

static const abi_ctx_field raw_field = { "raw", 0, 0, ABI_CTX_KIND_SCALAR, ABI_CTX_R | ABI_CTX_NARROW };

const abi_ctx_desc *abi_ctx_desc_of(abi_ctx_layout layout)
{
    return (unsigned)layout < ABI_CTX_LAYOUT_COUNT ? &layouts[layout] : NULL;
}

const abi_ctx_field *abi_ctx_fields(abi_ctx_layout layout, size_t *count)
{
    size_t first = 0;
    while (first < FIELD_COUNT && field_layouts[first] != layout)
        first++;
    size_t end = first;
    while (end < FIELD_COUNT && field_layouts[end] == layout)
        end++;
    *count = end - first;
    return end > first ? &all_fields[first] : NULL;
}

const abi_ctx_desc *abi_ctx_for_prog_type(uint32_t prog_type)
{
    const abi_prog_type *t = abi_prog_type_by_id(prog_type);
    return t ? abi_ctx_desc_of(t->ctx) : NULL;
}

static bool power_of_two_size(uint32_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Reads of a raw layout: any naturally aligned 1/2/4/8-byte read inside the record. */
static const abi_ctx_field *raw_access(uint32_t ctx_size, int64_t offset, uint32_t size, bool write,
                                       const char **why)
{
    if (write) {
        *why = "this context is read-only";
        return NULL;
    }
    if (offset < 0 || (uint64_t)offset + size > ctx_size) {
        *why = "outside the context";
        return NULL;
    }
    if (offset % size != 0) {
        *why = "misaligned context access";
        return NULL;
    }
    return &raw_field;
}

static bool is_tc(uint32_t prog_type)
{
    return prog_type == ABI_PROG_SCHED_CLS || prog_type == ABI_PROG_SCHED_ACT;
}

static bool may_write(uint32_t prog_type, uint16_t access)
{
    if (access & ABI_CTX_W_ALL)
        return true;
    if ((access & ABI_CTX_W_TC) && is_tc(prog_type))
        return true;
    if ((access & ABI_CTX_W_LWT) &&
        (prog_type == ABI_PROG_LWT_IN || prog_type == ABI_PROG_LWT_OUT || prog_type == ABI_PROG_LWT_XMIT))
        return true;
    return (access & ABI_CTX_W_CGROUP) && prog_type == ABI_PROG_CGROUP_SKB;
}

/* The per-type limits of Linux's is_valid_access callbacks on __sk_buff. */
static bool readable_by(uint32_t prog_type, uint16_t access)
{
    if ((access & ABI_CTX_NOT_SOCK_FILTER) && prog_type == ABI_PROG_SOCKET_FILTER)
        return false;
    if ((access & ABI_CTX_TC_ONLY) && !is_tc(prog_type))
        return false;
    return !(access & ABI_CTX_FLOW_ONLY) || prog_type == ABI_PROG_FLOW_DISSECTOR;
}

/* Is a size-byte access at byte rel of field f of an allowed width and alignment? */
static bool width_ok(const abi_ctx_field *f, uint32_t rel, uint32_t size, bool write)
{
    if (f->size <= 8 && rel == 0 && size == f->size)
        return true; /* the whole scalar or pointer field */
    bool array = f->size > 8;
    if (array && size == 4 && rel % 4 == 0)
        return true; /* one element of cb[5] / ip6[4] */
    if (array && size == 8 && rel % 8 == 0 && (f->access & ABI_CTX_WIDE))
        return true;
    if (write)
        return false;
    return (f->access & ABI_CTX_NARROW) && size < 4 && rel % size == 0 && (f->size >= 4);
}

const abi_ctx_field *abi_ctx_access(uint32_t prog_type, uint32_t generic_size, int64_t offset, uint32_t size,
                                    bool write, const char **why)
{
    const abi_ctx_desc *d = abi_ctx_for_prog_type(prog_type);
    if (!d || (d->size == 0 && !(d->raw && generic_size > 0))) {
        *why = "programs of this type have no readable context";
        return NULL;
    }
    if (!power_of_two_size(size)) {
        *why = "invalid access size";
        return NULL;
    }
    if (d->raw)
        return raw_access(d->size ? d->size : generic_size, offset, size, write, why);
    size_t count;
    const abi_ctx_field *fields = abi_ctx_fields(d->layout, &count);
    for (size_t i = 0; i < count; i++) {
        const abi_ctx_field *f = &fields[i];
        if (offset < f->offset || offset >= (int64_t)f->offset + f->size)
            continue;
        uint32_t rel = (uint32_t)(offset - f->offset);
        if (rel + size > f->size) {
            *why = "access crosses the end of a context field";
            return NULL;
        }
        if ((f->access & ABI_CTX_SOCK_INFO) && prog_type != ABI_PROG_SK_SKB && prog_type != ABI_PROG_CGROUP_SKB) {
            *why = "this socket field is readable only by sk_skb and cgroup_skb programs";
            return NULL;
        }
        if (!readable_by(prog_type, f->access)) {
            *why = "this context field is not available to this program type";
            return NULL;
        }
        if (write ? !may_write(prog_type, f->access) : !(f->access & ABI_CTX_R)) {
            *why = write ? "context field is read-only for this program type" : "context field is not readable";
            return NULL;
        }
        if (!width_ok(f, rel, size, write)) {
            *why = f->kind == ABI_CTX_KIND_SCALAR ? "invalid size or alignment for this context field"
                                                  : "pointer fields of the context are read only whole";
            return NULL;
        }
        return f;
    }
    *why = "no context field at this offset";
    return NULL;
}
