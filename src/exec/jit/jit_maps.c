/*
 * jit_maps.c - map-aware lookups: a `call EXEC_HELPER_MAP_LOOKUP` (bpf_map_lookup_elem) whose map
 * argument is known when the program is compiled becomes the array lookup computed inline, or a direct
 * call of the map type's own lookup function, as the runtime's jit_options.map_info allows.
 *
 * Knowing r1: walking back from the call, the last instruction writing r1 is an lddw of a plain
 * 64-bit constant, with no call in between (calls clobber r1..r5) and no instruction after the lddw
 * being the target of a jump or a local call. The lddw and the call are then in one basic block, so
 * r1 holds that constant on every path that reaches the call. Planned once, before the passes.
 *
 * Inline array lookup, r2 = &key (a u32), result in rax (r0); r1..r5 keep their values (a helper call
 * leaves them unspecified, so keeping them is allowed):
 *
 *     mov    r11d, [rsi]        the key
 *     xor    eax, eax           NULL unless the key is in range
 *     cmp    r11d, max_entries
 *     jae    done
 *     shl    r11, log2(stride)  (imul r11, r11, stride when stride is no power of 2)
 *     mov    rax, values
 *     add    rax, r11
 *   done:
 *
 * When `if r0 == 0 goto T` follows (on no jump target), `jae done` becomes `jae T` and the jump is
 * absorbed; `if r0 != 0 goto T` becomes a `jmp T` after the add (NULL falls through).
 *
 * The inline lookup reads neither r1 nor the map constant, so the lddw setting r1 emits nothing when
 * nothing between it and the call reads r1 (r1 is unspecified after the call either way). The key
 * straight from a register: compilers store the key to the stack and point r2 at it,
 *
 *     stxw [r10+off], rK ... mov r2, r10; add r2, off ... lddw r1, map; call
 *
 * When that is the whole story inside the call's basic block (the last memory write before the call
 * is that store, rK is not written after it except by the dropped lddw, r2 = r10 + off comes from that
 * mov/add pair and nothing else reads r2 before the call), the lookup takes `mov r11d, eK` instead of
 * the load, and the mov/add pair emits nothing (the store stays: the slot may be read later). The
 * same holds for a direct call when the map offers a lookup taking a 4-byte key by value
 * (jit_map_info.lookup_key32, a hash map's leaf): `mov esi, eK` and a call of that one instead of
 * r2 = &key and the pointer lookup (the key no longer makes a round trip through memory).
 *
 * Not with constant blinding (the values address and the bound would appear verbatim).
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* Slots looked at before a lookup for the lddw of its map (compilers put it right before the call;
 * the bound keeps planning linear in the program's size). */
#define JIT_MAP_LOOKBACK 64

typedef struct jit_map_site {
    jit_map_info info;
    uint16_t null_check; /* 0, or ISA_JEQ_IMM / ISA_JNE_IMM: `r0 ==/!= 0` next, absorbed */
    int8_t key_reg;      /* eBPF register holding the key (inline array lookups), or -1: load [r2] */
} jit_map_site;

/* The slots of the call's basic block before it, walked backwards: [*first, call) where *first is
 * the earliest slot from which every path runs straight to the call (bounded by JIT_MAP_LOOKBACK). */
static size_t jit_block_start(const jit_state *st, size_t call)
{
    size_t next = call, limit = call > JIT_MAP_LOOKBACK ? call - JIT_MAP_LOOKBACK : 0;
    for (size_t pc = call; pc-- > limit;) {
        const isa_insn *in = &st->insns[pc];
        if (in->id == ISA_SLOT_TAIL)
            continue;
        if (st->is_target[next] || isa_is_call(in) || in->id == ISA_EXIT ||
            (isa_is_jump(in) && !isa_is_conditional(in)))
            return next;
        next = pc;
    }
    return next;
}

/* The constant r1 holds when the instruction at `call` starts, if an lddw in its basic block put it
 * there (at *lddw). */
static bool jit_r1_constant(const jit_state *st, size_t call, uint64_t *value, size_t *lddw)
{
    size_t first = jit_block_start(st, call);
    for (size_t pc = call; pc-- > first;) {
        const isa_insn *in = &st->insns[pc];
        if (in->id == ISA_SLOT_TAIL || !(isa_regs_written(in) & (1u << 1)))
            continue;
        if (in->id != ISA_LDDW)
            return false;
        *value = in->imm64;
        *lddw = pc;
        return true;
    }
    return false;
}

static bool jit_is_load(const isa_insn *in)
{
    switch (in->id) {
    case ISA_LDXB: case ISA_LDXH: case ISA_LDXW: case ISA_LDXDW:
    case ISA_LDXSB: case ISA_LDXSH: case ISA_LDXSW:
        return true;
    default:
        return false;
    }
}

/* Does any instruction in [from, to) other than `skip` read (reads) or write (!reads) register r? */
static bool jit_touches(const jit_state *st, size_t from, size_t to, size_t skip, unsigned r, bool reads)
{
    for (size_t pc = from; pc < to; pc += st->insns[pc].slots) {
        const isa_insn *in = &st->insns[pc];
        if (pc != skip && ((reads ? isa_regs_read(in) : isa_regs_written(in)) & (1u << r)))
            return true;
    }
    return false;
}

/* Plans the key in a register for the lookup at `call` (header comment; inline array lookups, and
 * direct calls of a lookup taking a 4-byte key by value): the register, or -1. On success the r2
 * set-up is marked to emit nothing. */
static int jit_plan_key(jit_state *st, size_t call, size_t lddw, bool lddw_dropped)
{
    size_t first = jit_block_start(st, call), add = SIZE_MAX, mov = SIZE_MAX, store = SIZE_MAX;
    for (size_t pc = first; pc < call; pc += st->insns[pc].slots) {
        const isa_insn *in = &st->insns[pc];
        if (isa_regs_written(in) & (1u << 2)) {
            bool is_mov = in->id == ISA_MOV64_REG && in->src == 10;
            bool is_add = in->id == ISA_ADD64_IMM && mov != SIZE_MAX && add == SIZE_MAX;
            mov = is_mov ? pc : is_add ? mov : SIZE_MAX;
            add = is_add ? pc : SIZE_MAX;
        }
        if (isa_access_size(in) > 0 && !jit_is_load(in))
            store = pc;
    }
    if (add == SIZE_MAX || store == SIZE_MAX)
        return -1;
    const isa_insn *sx = &st->insns[store];
    unsigned k = sx->src;
    if (sx->id != ISA_STXW || sx->dst != 10 || sx->off != st->insns[add].imm || k == 10 ||
        jit_touches(st, store + 1, call, lddw_dropped ? lddw : SIZE_MAX, k, false) ||
        jit_touches(st, mov + 1, call, add, 2, true) || st->fuse[mov] != JIT_FUSE_NONE ||
        st->fuse[add] != JIT_FUSE_NONE)
        return -1;
    st->fuse[mov] = JIT_FUSE_ABSORBED; /* nothing reads r2 = r10 + off: the key comes from rK */
    st->fuse[add] = JIT_FUSE_ABSORBED;
    return (int)k;
}

/* An inline lookup followed by `if r0 ==/!= 0 goto T` (64-bit, on no jump target) takes the jump
 * straight from the bound check: the id of that jump, or 0. */
static uint16_t jit_null_check(const jit_state *st, size_t pc, const jit_map_info *info)
{
    size_t next = pc + 1;
    if (!info->array || next >= st->count || st->is_target[next] || st->fuse[next] != JIT_FUSE_NONE)
        return 0;
    const isa_insn *j = &st->insns[next];
    bool fits = (j->id == ISA_JEQ_IMM || j->id == ISA_JNE_IMM) && j->dst == 0 && j->imm == 0;
    return fits ? j->id : 0;
}

static bool jit_pow2(uint64_t v, unsigned *log)
{
    if (v == 0 || (v & (v - 1)))
        return false;
    unsigned n = 0;
    while ((v >> n) != 1)
        n++;
    *log = n;
    return true;
}

int jit_plan_maps(jit_state *st)
{
    const jit_options *o = st->opts;
    if (!o || !o->map_info || st->blind)
        return 0;
    size_t sites = 0;
    for (size_t pc = 0; pc < st->count; pc += st->insns[pc].slots)
        sites += st->insns[pc].id == ISA_CALL && (uint32_t)st->insns[pc].imm == EXEC_HELPER_MAP_LOOKUP;
    if (sites == 0)
        return 0;
    st->map_sites = calloc(sites, sizeof *st->map_sites);
    st->map_site_of_pc = calloc(st->count, sizeof *st->map_site_of_pc);
    if (!st->map_sites || !st->map_site_of_pc) {
        jit_fail(st, -ENOMEM, -1, "out of memory");
        return st->err;
    }
    for (size_t pc = 0; pc < st->count; pc += st->insns[pc].slots) {
        const isa_insn *in = &st->insns[pc];
        uint64_t map;
        size_t lddw;
        if (in->id != ISA_CALL || (uint32_t)in->imm != EXEC_HELPER_MAP_LOOKUP ||
            !jit_r1_constant(st, pc, &map, &lddw))
            continue;
        jit_map_info info = { 0 };
        if (!o->map_info(o->map_user, map, &info))
            continue;
        unsigned log;
        if (info.array && !jit_pow2(info.stride, &log) && info.stride > INT32_MAX)
            info.array = false; /* imul takes a 32-bit immediate */
        if (!info.array && (!info.lookup || st->abi != jit_abi_host()))
            continue;
        jit_map_site *site = &st->map_sites[st->map_site_count];
        site->info = info;
        site->null_check = jit_null_check(st, pc, &info);
        if (site->null_check)
            st->fuse[pc + 1] = JIT_FUSE_ABSORBED;
        site->key_reg = -1;
        if (info.array) {
            bool drop = st->fuse[lddw] == JIT_FUSE_NONE && !jit_touches(st, lddw + 2, pc, SIZE_MAX, 1, true);
            if (drop)
                st->fuse[lddw] = JIT_FUSE_ABSORBED; /* the inline lookup needs no r1 */
            site->key_reg = (int8_t)jit_plan_key(st, pc, lddw, drop);
        } else if (info.lookup_key32) {
            site->key_reg = (int8_t)jit_plan_key(st, pc, lddw, false); /* r1 stays: it is the map argument */
        }
        st->map_site_of_pc[pc] = ++st->map_site_count;
    }
    return 0;
}

static void jit_inline_array(jit_state *st, size_t pc, const jit_map_site *site)
{
    const jit_map_info *info = &site->info;
    size_t target = site->null_check ? JIT_L_INSN(isa_jump_target(&st->insns[pc + 1], pc + 1)) : 0;
    if (site->key_reg >= 0)
        jit_mov_rr(st, 0, JIT_TMP, jit_reg[site->key_reg]);              /* mov r11d, eK */
    else
        jit_op_rm(st, 0, 0x8b, JIT_TMP, jit_reg[2], 0);                  /* mov r11d, [r2] */
    /* r0 = NULL for the out-of-bounds path, unless r0 dies where that path goes (the jump target of an
     * absorbed `r0 == 0`, the fall-through past an absorbed `r0 != 0`, else the next instruction). */
    size_t null_pc = site->null_check == ISA_JEQ_IMM   ? (size_t)isa_jump_target(&st->insns[pc + 1], pc + 1)
                     : site->null_check == ISA_JNE_IMM ? pc + 2
                                                       : pc + 1;
    if (jit_live_at(st, null_pc, 0))
        jit_alu_rr(st, 0, JIT_ALU_XOR, JIT_RAX, JIT_RAX);
    jit_alu_ri(st, 0, JIT_ALU_CMP, JIT_TMP, (int32_t)info->max_entries); /* 32-bit compare: unsigned */
    size_t done = 0;
    if (site->null_check == ISA_JEQ_IMM)
        jit_jcc(st, JIT_CC_AE, target); /* r0 = NULL: where `if r0 == 0` goes */
    else
        done = jit_jcc8(st, JIT_CC_AE);
    unsigned log;
    if (jit_pow2(info->stride, &log)) {
        if (log)
            jit_shift_ri(st, JIT_W, JIT_SHIFT_SHL, JIT_TMP, (uint8_t)log);
    } else {
        jit_op_rr(st, JIT_W, 0x69, JIT_TMP, JIT_TMP); /* imul r11, r11, imm32 */
        jit_u32(st, (uint32_t)info->stride);
    }
    jit_mov_imm(st, JIT_RAX, info->values);
    jit_alu_rr(st, JIT_W, JIT_ALU_ADD, JIT_RAX, JIT_TMP);
    if (site->null_check == ISA_JNE_IMM)
        jit_jmp(st, target); /* r0 != NULL: where `if r0 != 0` goes; NULL falls through past the jump */
    if (site->null_check != ISA_JEQ_IMM)
        jit_patch8(st, done);
}

uint16_t jit_map_site_reads(const jit_state *st, size_t pc)
{
    if (!st->map_site_of_pc || !st->map_site_of_pc[pc])
        return 0;
    const jit_map_site *site = &st->map_sites[st->map_site_of_pc[pc] - 1];
    return (uint16_t)((1u << 1) | (1u << 2) | (site->key_reg >= 0 ? 1u << site->key_reg : 0u));
}

bool jit_emit_map_lookup(jit_state *st, size_t pc)
{
    if (!st->map_site_of_pc || !st->map_site_of_pc[pc])
        return false;
    const jit_map_site *site = &st->map_sites[st->map_site_of_pc[pc] - 1];
    if (site->info.array)
        jit_inline_array(st, pc, site);
    else if (site->key_reg >= 0) {
        jit_mov_rr(st, 0, jit_reg[2], jit_reg[site->key_reg]); /* mov esi, eK: the key by value */
        jit_abi_call_leaf2(st, site->info.lookup_key32);
    } else
        jit_abi_call_leaf2(st, site->info.lookup);
    return true;
}

void jit_maps_free(jit_state *st)
{
    free(st->map_sites);
    free(st->map_site_of_pc);
}
