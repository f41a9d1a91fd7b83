/*
 * jit_diff_gen.c - the program generator of jit_diff_gen.h. Items are generated into the slot buffer
 * directly; forward jumps record their target item and are patched when the block ends, local calls
 * when every function is placed.
 */
#include "jit_diff_gen.h"

#include <string.h>

#include "jit_test_util.h"

#define JD_MAX_FN 5           /* main, three callees, the recursive one */
#define JD_MAX_ITEMS 48
#define JD_MAX_CALLS 256
#define JD_STACK_USED 64      /* bytes of each frame a function initialises and uses */
#define JD_REG_MEM 9          /* holds the memory block's address, never written */
#define JD_REG_LOOP 6         /* loop counter inside a loop */

typedef struct jd_gen {
    uint64_t rng;
    const uint8_t *data;      /* choices to replay first (jd_generate_bytes) */
    size_t size;
    jt_prog *p;
    int fn;                   /* function being generated */
    int callees;              /* functions 1..callees may be called */
    bool in_loop;
    size_t fn_start[JD_MAX_FN];
    struct { size_t slot; int fn; } calls[JD_MAX_CALLS];
    size_t call_count;
} jd_gen;

static uint64_t jd_next(jd_gen *g)
{
    if (g->size >= 8) {
        uint64_t v;
        memcpy(&v, g->data, 8);
        g->data += 8;
        g->size -= 8;
        return v;
    }
    uint64_t z = (g->rng += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint32_t jd_below(jd_gen *g, uint32_t n)
{
    return (uint32_t)(jd_next(g) % n);
}

static int32_t jd_imm(jd_gen *g)
{
    static const int32_t edges[] = { 0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 127, 128, -128, 255, 0x7fff,
                                     -0x8000, 0x7fffffff, INT32_MIN, 0x10000 };
    switch (jd_below(g, 5)) {
    case 0:
    case 1: return (int32_t)jd_below(g, 33) - 16;
    case 2: return edges[jd_below(g, sizeof edges / sizeof edges[0])];
    default: return (int32_t)(uint32_t)jd_next(g);
    }
}

static uint64_t jd_value(jd_gen *g)
{
    static const uint64_t edges[] = { 0, 1, UINT64_MAX, 0x8000000000000000ull, 0x7fffffffffffffffull, 0xffffffff,
                                      0x80000000, 0x100000000ull, 0xffffffff80000000ull };
    switch (jd_below(g, 4)) {
    case 0: return edges[jd_below(g, sizeof edges / sizeof edges[0])];
    case 1: return (uint64_t)(int64_t)jd_imm(g);
    default: return jd_next(g);
    }
}

static void jd_insn(jd_gen *g, uint16_t id, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
    jt_emit_insn(g->p, id, dst, src, off, imm);
}

/* A register the program may write: r0..r8, not the loop counter inside a loop. */
static unsigned jd_dst(jd_gen *g)
{
    for (;;) {
        unsigned r = jd_below(g, 9);
        if (!(g->in_loop && r == JD_REG_LOOP))
            return r;
    }
}

/* A register holding a plain value (never an address): r0..r8. */
static unsigned jd_src(jd_gen *g)
{
    return jd_below(g, 9);
}

static void jd_reinit_args(jd_gen *g)
{
    for (unsigned r = 1; r <= 5; r++)
        jd_insn(g, ISA_MOV64_IMM, r, 0, 0, jd_imm(g));
}

/* ---- Items. ---- */
/* Rows of isa_insns.def of the given formats (filled once). */
static size_t jd_rows(uint16_t *ids, size_t cap, const uint8_t *formats, size_t nformats)
{
    size_t n = 0;
    for (uint16_t id = 0; id < ISA_ID_COUNT && n < cap; id++)
        for (size_t f = 0; f < nformats; f++)
            if (isa_infos[id].format == formats[f])
                ids[n++] = id;
    return n;
}

static uint16_t jd_alu_ids[ISA_ID_COUNT], jd_jump_ids[ISA_ID_COUNT];
static size_t jd_alu_count, jd_jump_count;

static void jd_tables(void)
{
    static const uint8_t alu[] = { ISA_FMT_ALU_IMM, ISA_FMT_ALU_REG };
    static const uint8_t jumps[] = { ISA_FMT_JA, ISA_FMT_JA32, ISA_FMT_JMP_IMM, ISA_FMT_JMP_REG };
    if (jd_alu_count == 0) {
        jd_alu_count = jd_rows(jd_alu_ids, ISA_ID_COUNT, alu, sizeof alu);
        jd_jump_count = jd_rows(jd_jump_ids, ISA_ID_COUNT, jumps, sizeof jumps);
    }
}

static void jd_alu(jd_gen *g)
{
    uint16_t id = jd_alu_ids[jd_below(g, (uint32_t)jd_alu_count)];
    bool imm = isa_infos[id].format == ISA_FMT_ALU_IMM;
    jd_insn(g, id, jd_dst(g), imm ? 0 : jd_src(g), 0, imm ? jd_imm(g) : 0);
}

static void jd_unary(jd_gen *g)
{
    static const uint16_t ids[] = { ISA_NEG64, ISA_NEG32, ISA_LE16, ISA_LE32, ISA_LE64, ISA_BE16, ISA_BE32,
                                    ISA_BE64, ISA_BSWAP16, ISA_BSWAP32, ISA_BSWAP64, ISA_MOVSX8_64,
                                    ISA_MOVSX16_64, ISA_MOVSX32_64, ISA_MOVSX8_32, ISA_MOVSX16_32 };
    uint16_t id = ids[jd_below(g, sizeof ids / sizeof ids[0])];
    jd_insn(g, id, jd_dst(g), isa_infos[id].format == ISA_FMT_ALU_REG ? jd_src(g) : 0, 0, 0);
}

static const uint16_t jd_ldx[4] = { ISA_LDXB, ISA_LDXH, ISA_LDXW, ISA_LDXDW };
static const uint16_t jd_ldxs[4] = { ISA_LDXSB, ISA_LDXSH, ISA_LDXSW, ISA_LDXDW };
static const uint16_t jd_stx[4] = { ISA_STXB, ISA_STXH, ISA_STXW, ISA_STXDW };
static const uint16_t jd_st[4] = { ISA_STB, ISA_STH, ISA_STW, ISA_STDW };

/* One access of 1 << k bytes at [base + off]; `avoid` is never the stored register (it holds an address). */
static void jd_access(jd_gen *g, unsigned base, int16_t off, unsigned k, unsigned avoid)
{
    unsigned src = jd_src(g);
    if (src == avoid)
        src = (src + 1) % 9;
    switch (jd_below(g, 4)) {
    case 0: jd_insn(g, jd_ldx[k], jd_dst(g), base, off, 0); break;
    case 1: jd_insn(g, jd_ldxs[k], jd_dst(g), base, off, 0); break;
    case 2: jd_insn(g, jd_stx[k], base, src, off, 0); break;
    default: jd_insn(g, jd_st[k], base, 0, off, jd_imm(g)); break;
    }
}

static void jd_memory_access(jd_gen *g)
{
    unsigned k = jd_below(g, 4), size = 1u << k;
    switch (jd_below(g, 3)) {
    case 0: /* fixed offset in the memory block */
        jd_access(g, JD_REG_MEM, (int16_t)jd_below(g, JT_MEM_SIZE - size + 1), k, JD_REG_MEM);
        break;
    case 1: { /* data-dependent offset: t = (value & 0xf8) + r9, then t gets a plain value again */
        unsigned t = jd_dst(g), v = jd_src(g);
        jd_insn(g, ISA_MOV64_REG, t, v, 0, 0);
        jd_insn(g, ISA_AND64_IMM, t, 0, 0, 0xf8);
        jd_insn(g, ISA_ADD64_REG, t, JD_REG_MEM, 0, 0);
        jd_access(g, t, (int16_t)jd_below(g, 8 - size + 1), k, t);
        jd_insn(g, ISA_MOV64_IMM, t, 0, 0, jd_imm(g));
        break;
    }
    default: /* stack */
        jd_access(g, ISA_REG_FP, (int16_t)(-(int)JD_STACK_USED + (int)jd_below(g, JD_STACK_USED - size + 1)), k,
                  ISA_REG_FP);
        break;
    }
}

static void jd_atomic(jd_gen *g)
{
    static const uint16_t ids[] = {
        ISA_ATOMIC_ADD64, ISA_ATOMIC_FETCH_ADD64, ISA_ATOMIC_OR64, ISA_ATOMIC_FETCH_OR64, ISA_ATOMIC_AND64,
        ISA_ATOMIC_FETCH_AND64, ISA_ATOMIC_XOR64, ISA_ATOMIC_FETCH_XOR64, ISA_ATOMIC_XCHG64, ISA_ATOMIC_CMPXCHG64,
        ISA_ATOMIC_ADD32, ISA_ATOMIC_FETCH_ADD32, ISA_ATOMIC_OR32, ISA_ATOMIC_FETCH_OR32, ISA_ATOMIC_AND32,
        ISA_ATOMIC_FETCH_AND32, ISA_ATOMIC_XOR32, ISA_ATOMIC_FETCH_XOR32, ISA_ATOMIC_XCHG32, ISA_ATOMIC_CMPXCHG32,
    };
    uint16_t id = ids[jd_below(g, sizeof ids / sizeof ids[0])];
    unsigned size = isa_infos[id].group == ISA_GROUP_ATOMIC64 ? 8 : 4;
    bool aligned = jd_below(g, 4) != 0;
    unsigned src = jd_dst(g); /* fetching forms write it */
    if (jd_below(g, 2)) {
        unsigned off = jd_below(g, JT_MEM_SIZE - size + 1);
        if (aligned)
            off &= ~(size - 1);
        jd_insn(g, id, JD_REG_MEM, src, (int16_t)off, 0);
    } else {
        int off = -(int)JD_STACK_USED + (int)jd_below(g, JD_STACK_USED - size + 1);
        if (aligned)
            off &= ~(int)(size - 1);
        jd_insn(g, id, ISA_REG_FP, src, (int16_t)off, 0);
    }
}

static void jd_helper_call(jd_gen *g)
{
    static const int32_t ids[] = { 1, 2, 3, 4, 5 };
    int32_t id = ids[jd_below(g, 5)];
    if (id == 4) { /* swap(p, v): p = an aligned word of the memory block */
        jd_insn(g, ISA_MOV64_REG, 1, JD_REG_MEM, 0, 0);
        jd_insn(g, ISA_ADD64_IMM, 1, 0, 0, (int32_t)(8 * jd_below(g, JT_MEM_SIZE / 8)));
    }
    if (jd_below(g, 4) == 0) {
        unsigned r = jd_dst(g);
        int32_t cid = jd_below(g, 30) == 0 ? (int32_t)(6 + jd_below(g, 5)) : id; /* sometimes no helper */
        if (r >= 1 && r <= 5 && id == 4)
            r = 0; /* keep the pointer argument */
        jd_insn(g, ISA_MOV64_IMM, r, 0, 0, cid);
        jd_insn(g, ISA_CALLX, r, 0, 0, 0);
    } else {
        jd_insn(g, ISA_CALL, 0, 0, 0, id);
    }
    jd_reinit_args(g);
}

static void jd_packet_load(jd_gen *g)
{
    static const uint16_t abs_ids[] = { ISA_LDABSB, ISA_LDABSH, ISA_LDABSW };
    static const uint16_t ind_ids[] = { ISA_LDINDB, ISA_LDINDH, ISA_LDINDW };
    unsigned k = jd_below(g, 3);
    int32_t off = jd_below(g, 16) == 0 ? jd_imm(g) : (int32_t)jd_below(g, JT_MEM_SIZE);
    if (jd_below(g, 2)) {
        jd_insn(g, abs_ids[k], 0, 0, 0, off);
    } else {
        unsigned r = jd_dst(g);
        jd_insn(g, ISA_MOV64_IMM, r, 0, 0, (int32_t)jd_below(g, JT_MEM_SIZE));
        jd_insn(g, ind_ids[k], 0, r, 0, jd_below(g, 8) == 0 ? off : (int32_t)jd_below(g, 8) - 2);
    }
}

static void jd_local_call(jd_gen *g, int callee)
{
    if (g->call_count < JD_MAX_CALLS) {
        g->calls[g->call_count].slot = g->p->n;
        g->calls[g->call_count].fn = callee;
        g->call_count++;
    }
    jd_insn(g, ISA_CALL_LOCAL, 0, 0, 0, 0);
}

static void jd_simple(jd_gen *g)
{
    uint32_t r = jd_below(g, 100);
    if (r < 32)
        jd_alu(g);
    else if (r < 38)
        jd_unary(g);
    else if (r < 42)
        jt_emit_lddw(g->p, jd_dst(g), jd_value(g));
    else if (r < 62)
        jd_memory_access(g);
    else if (r < 70)
        jd_atomic(g);
    else if (r < 78)
        jd_helper_call(g);
    else if (r < 82)
        jd_packet_load(g);
    else if (r < 88 && g->fn < g->callees)
        jd_local_call(g, g->fn + 1 + (int)jd_below(g, (uint32_t)(g->callees - g->fn)));
    else
        jd_alu(g);
}

static void jd_block(jd_gen *g, int items);

static void jd_loop(jd_gen *g)
{
    jd_insn(g, ISA_MOV64_IMM, JD_REG_LOOP, 0, 0, 1 + (int32_t)jd_below(g, 6));
    g->in_loop = true;
    size_t top = g->p->n;
    jd_block(g, 2 + (int)jd_below(g, 6));
    jd_insn(g, ISA_SUB64_IMM, JD_REG_LOOP, 0, 0, 1);
    jd_insn(g, ISA_JNE_IMM, JD_REG_LOOP, 0, (int16_t)((int64_t)top - (int64_t)g->p->n - 1), 0);
    g->in_loop = false;
}

/* `items` items; forward jumps land on an item of this block or on its end. */
static void jd_block(jd_gen *g, int items)
{
    size_t start[JD_MAX_ITEMS + 1];
    struct { size_t slot; int target; } fix[JD_MAX_ITEMS];
    int fixes = 0;
    if (items > JD_MAX_ITEMS)
        items = JD_MAX_ITEMS;
    for (int i = 0; i < items; i++) {
        start[i] = g->p->n;
        uint32_t r = jd_below(g, 100);
        if (r < 14) {
            uint16_t id = jd_jump_ids[jd_below(g, (uint32_t)jd_jump_count)];
            uint8_t fmt = isa_infos[id].format;
            fix[fixes].slot = g->p->n;
            fix[fixes].target = i + 1 + (int)jd_below(g, (uint32_t)(items - i));
            fixes++;
            if (fmt == ISA_FMT_JA || fmt == ISA_FMT_JA32)
                jd_insn(g, id, 0, 0, 0, 0);
            else
                jd_insn(g, id, jd_src(g), fmt == ISA_FMT_JMP_REG ? jd_src(g) : 0, 0,
                        fmt == ISA_FMT_JMP_IMM ? jd_imm(g) : 0);
        } else if (r < 18 && !g->in_loop) {
            jd_loop(g);
        } else {
            jd_simple(g);
        }
    }
    start[items] = g->p->n;
    for (int f = 0; f < fixes; f++) {
        isa_slot *s = &g->p->s[fix[f].slot];
        int64_t rel = (int64_t)start[fix[f].target] - (int64_t)fix[f].slot - 1;
        if (s->opcode == isa_infos[ISA_JA32].opcode)
            s->imm = (int32_t)rel;
        else
            s->off = (int16_t)rel;
    }
}

/* Every function starts by giving its stack bytes values. */
static void jd_function_prologue(jd_gen *g)
{
    for (int off = -JD_STACK_USED; off < 0; off += 8)
        jd_insn(g, ISA_STDW, ISA_REG_FP, 0, (int16_t)off, jd_imm(g));
}

static void jd_program(jd_gen *g, jt_prog *p);

void jd_generate(jt_prog *p, uint64_t seed)
{
    jd_gen g;
    memset(&g, 0, sizeof g);
    g.rng = seed * UINT64_C(0x2545f4914f6cdd1d) + 1;
    jd_program(&g, p);
}

void jd_generate_bytes(jt_prog *p, const uint8_t *data, size_t size)
{
    jd_gen g;
    memset(&g, 0, sizeof g);
    g.rng = size;
    g.data = data;
    g.size = size;
    jd_program(&g, p);
}

static void jd_program(jd_gen *g, jt_prog *p)
{
    jd_tables();
    g->p = p;
    p->n = 0;
    g->callees = (int)jd_below(g, 4);
    bool deep = jd_below(g, 50) == 0;

    /* main */
    jd_insn(g, ISA_MOV64_REG, JD_REG_MEM, 1, 0, 0);
    jd_function_prologue(g);
    for (unsigned r = 0; r <= 8; r++) {
        if (jd_below(g, 3) == 0)
            jt_emit_lddw(p, r, jd_value(g));
        else
            jd_insn(g, ISA_MOV64_IMM, r, 0, 0, jd_imm(g));
    }
    if (deep && jd_below(g, 2))
        jd_local_call(g, JD_MAX_FN - 1);
    jd_block(g, 8 + (int)jd_below(g, 30));
    if (deep)
        jd_local_call(g, JD_MAX_FN - 1);
    for (unsigned r = 1; r <= 8; r++)
        jd_insn(g, ISA_STXDW, JD_REG_MEM, r, (int16_t)(JT_MEM_SIZE - 64 + 8 * (r - 1)), 0);
    jd_insn(g, ISA_EXIT, 0, 0, 0, 0);

    /* callees */
    for (g->fn = 1; g->fn <= g->callees; g->fn++) {
        g->fn_start[g->fn] = p->n;
        jd_function_prologue(g);
        jd_block(g, 3 + (int)jd_below(g, 15));
        jd_insn(g, ISA_EXIT, 0, 0, 0, 0);
    }
    /* the endless recursion */
    g->fn_start[JD_MAX_FN - 1] = p->n;
    jd_insn(g, ISA_STDW, ISA_REG_FP, 0, -8, 1);
    jd_insn(g, ISA_CALL_LOCAL, 0, 0, 0, -2);
    jd_insn(g, ISA_EXIT, 0, 0, 0, 0);

    for (size_t c = 0; c < g->call_count; c++)
        p->s[g->calls[c].slot].imm = (int32_t)((int64_t)g->fn_start[g->calls[c].fn] - (int64_t)g->calls[c].slot - 1);
}

void jd_memory(uint8_t *mem, uint64_t seed)
{
    jd_gen g;
    memset(&g, 0, sizeof g);
    g.rng = ~seed;
    for (size_t i = 0; i < JT_MEM_SIZE; i += 8) {
        uint64_t v = jd_value(&g);
        memcpy(mem + i, &v, 8);
    }
}
