/*
 * test_elf_objects.c - what the loader reports for small programs compiled at build time with
 * `clang -O2 -g -target bpf` (tests/unit/elf/progs): BTF maps and their encodings, legacy maps of an
 * unusual record size with map-in-map, global data with map-value relocations, sub-programs and
 * callbacks appended to every program that uses them, map-in-map and prog_array initial values, the
 * refusal of CO-RE relocations and of external calls (and their resolution by name); plus the
 * section-name table and the header checks on hand-made ELF headers.
 * Without clang or libbpf-dev at configure time the compiled-object tests print SKIPPED and exit 77.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_test_util.h"

#define LINUX_MAP_HASH 1
#define LINUX_MAP_ARRAY 2
#define LINUX_MAP_PROG_ARRAY 3
#define LINUX_MAP_PERCPU_ARRAY 6
#define LINUX_MAP_ARRAY_OF_MAPS 12
#define LINUX_MAP_RINGBUF 27

static elf_object *open_prog(const char *stem)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.bpf.o", EBPF_ELF_PROG_DIR, stem);
    size_t size;
    void *data = elf_test_read_file(path, &size);
    if (!data)
        fail_msg("cannot read %s (built by the elf_test_progs target)", path);
    elf_object *obj = NULL;
    ebpf_diag diag;
    int rc = elf_object_open(data, size, &obj, &diag);
    free(data);
    if (rc)
        fail_msg("%s: %s", stem, diag.message);
    const char *why = elf_test_check_invariants(obj);
    if (why)
        fail_msg("%s: %s", stem, why);
    return obj;
}

static const elf_map *map(const elf_object *obj, const char *name)
{
    const elf_map *m = elf_object_find_map(obj, name);
    if (!m)
        fail_msg("no map '%s'", name);
    return m;
}

static const elf_program *prog(const elf_object *obj, const char *name)
{
    const elf_program *p = elf_object_find_program(obj, name);
    if (!p)
        fail_msg("no program '%s'", name);
    return p;
}

static size_t map_index(const elf_object *obj, const char *name)
{
    return (size_t)(map(obj, name) - elf_object_map(obj, 0));
}

static void test_btf_maps(void **state)
{
    (void)state;
    elf_object *obj = open_prog("maps_btf");
    const elf_map *flows = map(obj, "flows");
    assert_int_equal(flows->kind, ELF_MAP_BTF);
    assert_int_equal(flows->type, LINUX_MAP_HASH);
    assert_int_equal(flows->key_size, 16);  /* struct flow_key, padded */
    assert_int_equal(flows->value_size, 16);
    assert_int_equal(flows->max_entries, 1024);
    assert_int_equal(flows->map_flags, 1);  /* BPF_F_NO_PREALLOC */
    assert_int_equal(flows->pinning, 1);
    assert_int_not_equal(flows->btf_key_type, 0);
    assert_int_not_equal(flows->btf_value_type, 0);
    const elf_map *counters = map(obj, "counters");
    assert_int_equal(counters->type, LINUX_MAP_ARRAY);
    assert_int_equal(counters->key_size, 4);
    assert_int_equal(counters->value_size, 8);
    assert_int_equal(counters->btf_key_type, 0);
    const elf_map *events = map(obj, "events");
    assert_int_equal(events->type, LINUX_MAP_RINGBUF);
    assert_int_equal(events->max_entries, 4096);
    assert_int_equal(events->key_size, 0);
    const elf_map *percpu = map(obj, "percpu");
    assert_int_equal(percpu->type, LINUX_MAP_PERCPU_ARRAY);
    assert_int_equal(percpu->value_size, 24);
    assert_int_equal(percpu->map_flags, 4);
    assert_int_equal(percpu->numa_node, 1);

    assert_string_equal(elf_object_license(obj), "Dual BSD/GPL");
    uint32_t version = 0;
    assert_true(elf_object_kern_version(obj, &version));
    assert_int_equal(version, 0x050400);

    assert_int_equal(elf_object_program_count(obj), 1);
    const elf_program *p = prog(obj, "count_flows");
    assert_string_equal(p->section, "xdp");
    assert_int_equal(p->type, ELF_PROG_XDP);
    assert_int_equal(p->attach_type, ELF_ATTACH_XDP);
    assert_int_equal(elf_program_check(p, NULL), 0);
    /* one MAP relocation per map used, each on an lddw rewritten to src 1 / imm = map index */
    const char *used[] = {"flows", "counters", "percpu", "events"};
    for (size_t u = 0; u < 4; u++) {
        size_t idx = map_index(obj, used[u]);
        bool found = false;
        for (size_t r = 0; r < p->reloc_count; r++) {
            const elf_reloc *rel = &p->relocs[r];
            if (rel->kind == ELF_RELOC_MAP && rel->map == idx) {
                found = true;
                assert_string_equal(rel->symbol, used[u]);
                assert_int_equal(p->insns[rel->insn].opcode, 0x18);
                assert_int_equal(p->insns[rel->insn].src, ELF_LDDW_MAP_FD);
                assert_int_equal(p->insns[rel->insn].imm, (int32_t)idx);
            }
        }
        assert_true(found);
    }
    /* line info: every instruction of a -g build has a source line */
    assert_non_null(p->insn_line);
    const elf_line *line = elf_program_line(p, 0);
    assert_non_null(line);
    assert_non_null(strstr(line->file, "maps_btf.bpf.c"));
    assert_true(line->line > 0);
    assert_non_null(p->funcs[0].name);
    assert_int_not_equal(p->funcs[0].btf_type, 0);
    elf_object_free(obj);
}

static void test_legacy_maps(void **state)
{
    (void)state;
    elf_object *obj = open_prog("maps_legacy");
    assert_int_equal(elf_object_map_count(obj), 3);
    const elf_map *packets = map(obj, "packets");
    assert_int_equal(packets->kind, ELF_MAP_LEGACY);
    assert_int_equal(packets->type, LINUX_MAP_ARRAY);
    assert_int_equal(packets->key_size, 4);
    assert_int_equal(packets->value_size, 8);
    assert_int_equal(packets->max_entries, 256);
    const elf_map *outer = map(obj, "outer");
    assert_int_equal(outer->type, LINUX_MAP_ARRAY_OF_MAPS);
    assert_int_equal(outer->inner, (int32_t)map_index(obj, "inner"));
    assert_int_equal(map(obj, "inner")->inner, -1);
    const elf_program *p = prog(obj, "legacy_prog");
    assert_int_equal(p->type, ELF_PROG_SOCKET_FILTER);
    assert_int_equal(p->reloc_count, 2);
    elf_object_free(obj);
}

static void test_global_data(void **state)
{
    (void)state;
    elf_object *obj = open_prog("globals");
    const elf_map *data = map(obj, ".data"), *rodata = map(obj, ".rodata"), *bss = map(obj, ".bss");
    const elf_map *tuning = map(obj, ".data.tuning");
    assert_int_equal(data->kind, ELF_MAP_DATA);
    assert_int_equal(data->type, LINUX_MAP_ARRAY);
    assert_int_equal(data->key_size, 4);
    assert_int_equal(data->max_entries, 1);
    assert_int_equal(data->value_size, 24);
    assert_false(data->read_only);
    uint64_t hits;
    memcpy(&hits, data->data, 8);
    assert_int_equal(hits, 5);
    assert_true(rodata->read_only);
    assert_int_equal(rodata->map_flags, 0x80); /* BPF_F_RDONLY_PROG */
    uint32_t limit;
    memcpy(&limit, rodata->data, 4);
    assert_true(limit == 100 || limit == 10);  /* order of the two .rodata variables is the compiler's */
    assert_null(bss->data);
    assert_int_equal(bss->value_size, 40);
    assert_int_equal(tuning->value_size, 4);
    assert_int_equal(*(const uint32_t *)tuning->data, 42);
    assert_int_not_equal(data->btf_value_type, 0);

    const elf_program *p = prog(obj, "use_globals");
    assert_int_equal(p->type, ELF_PROG_SCHED_CLS);
    size_t value_relocs = 0;
    bool seen_offset = false;
    for (size_t r = 0; r < p->reloc_count; r++) {
        const elf_reloc *rel = &p->relocs[r];
        assert_int_equal(rel->kind, ELF_RELOC_MAP_VALUE);
        value_relocs++;
        assert_int_equal(p->insns[rel->insn].src, ELF_LDDW_MAP_VALUE);
        assert_int_equal(p->insns[rel->insn].imm, (int32_t)rel->map);
        assert_int_equal((uint32_t)p->insns[rel->insn + 1].imm, rel->offset);
        const elf_map *target = elf_object_map(obj, rel->map);
        assert_true(rel->offset < target->value_size);
        /* seen[2] lives at .data + 8 + 2 * 4 (or the compiler addresses seen and adds 8) */
        if (target == data && rel->offset >= 8)
            seen_offset = true;
    }
    assert_true(value_relocs >= 5);
    assert_true(seen_offset);
    elf_object_free(obj);
}

/* True when `p` has a function named `name`. */
static bool has_func(const elf_program *p, const char *name)
{
    for (size_t k = 0; k < p->func_count; k++)
        if (strcmp(p->funcs[k].name, name) == 0)
            return true;
    return false;
}

static void test_subprograms(void **state)
{
    (void)state;
    elf_object *obj = open_prog("subprogs");
    /* global_helper (global in .text) is a program too; static functions are not */
    assert_int_equal(elf_object_program_count(obj), 4);
    assert_null(elf_object_find_program(obj, "square"));
    const elf_program *helper = prog(obj, "global_helper");
    assert_string_equal(helper->section, ".text");
    assert_int_equal(helper->type, ELF_PROG_UNSPEC);

    const elf_program *a = prog(obj, "prog_a");
    assert_true(has_func(a, "sum_squares"));
    assert_true(has_func(a, "square"));
    assert_true(has_func(a, "loop_body"));
    assert_false(has_func(a, "global_helper"));
    assert_int_equal(a->func_count, 4);
    /* the bpf_loop callback is an lddw of a function: src 4, pointing at loop_body */
    bool callback = false;
    for (size_t i = 0; i + 1 < a->insn_count; i++) {
        if (a->insns[i].opcode == 0x18 && a->insns[i].src == ELF_LDDW_FUNC) {
            int64_t target = (int64_t)i + a->insns[i].imm + 1;
            for (size_t k = 0; k < a->func_count; k++)
                if (a->funcs[k].insn == target && strcmp(a->funcs[k].name, "loop_body") == 0)
                    callback = true;
        }
    }
    assert_true(callback);

    const elf_program *b = prog(obj, "prog_b");
    assert_string_equal(b->section, "xdp");
    assert_true(has_func(b, "global_helper"));
    assert_true(has_func(b, "square"));
    assert_false(has_func(b, "sum_squares"));
    const elf_program *c = prog(obj, "prog_c");
    assert_int_equal(c->func_count, 2);
    assert_true(has_func(c, "square"));
    /* each sub-program is a copy: the same function appears in three programs */
    elf_object_free(obj);
}

static void test_map_in_map_and_prog_array(void **state)
{
    (void)state;
    elf_object *obj = open_prog("map_in_map");
    const elf_map *outer = map(obj, "outer");
    assert_int_equal(outer->type, LINUX_MAP_ARRAY_OF_MAPS);
    assert_int_equal(outer->value_size, 4);
    assert_true(outer->inner >= 0);
    const elf_map *tmpl = elf_object_map(obj, (size_t)outer->inner);
    assert_int_equal(tmpl->kind, ELF_MAP_INNER);
    assert_string_equal(tmpl->name, "outer.inner");
    assert_int_equal(tmpl->type, LINUX_MAP_ARRAY);
    assert_int_equal(tmpl->max_entries, 8);
    assert_int_equal(outer->slot_count, 2);
    assert_int_equal(outer->slots[0].index, 0);
    assert_int_equal(outer->slots[0].kind, ELF_SLOT_MAP);
    assert_int_equal(outer->slots[0].target, map_index(obj, "inner_a"));
    assert_int_equal(outer->slots[1].index, 2);
    assert_int_equal(outer->slots[1].target, map_index(obj, "inner_b"));

    const elf_map *jumps = map(obj, "jumps");
    assert_int_equal(jumps->type, LINUX_MAP_PROG_ARRAY);
    assert_int_equal(jumps->slot_count, 2);
    assert_int_equal(jumps->slots[0].index, 1);
    assert_int_equal(jumps->slots[0].kind, ELF_SLOT_PROGRAM);
    assert_string_equal(elf_object_program(obj, jumps->slots[0].target)->name, "tail_one");
    assert_int_equal(jumps->slots[1].index, 2);
    assert_string_equal(elf_object_program(obj, jumps->slots[1].target)->name, "tail_two");
    assert_int_equal(elf_object_program_count(obj), 3);
    elf_object_free(obj);
}

static void test_core_relocation_refused(void **state)
{
    (void)state;
    elf_object *obj = open_prog("core");
    const elf_program *core = prog(obj, "uses_core");
    assert_int_equal(core->type, ELF_PROG_KPROBE);
    assert_string_equal(core->attach_target, "do_exit");
    assert_int_equal(core->core_relo_count, 1);
    assert_string_equal(core->core_relos[0].type_name, "struct task_like");
    assert_string_equal(core->core_relos[0].access, "0:1");
    assert_int_equal(core->core_relos[0].kind, 0);
    ebpf_diag diag;
    assert_int_equal(elf_program_check(core, &diag), -ENOTSUP);
    assert_non_null(strstr(diag.message, "CO-RE"));
    assert_non_null(strstr(diag.message, "struct task_like"));
    assert_non_null(strstr(diag.message, "0:1"));
    assert_non_null(strstr(diag.message, "field_byte_offset"));
    assert_int_equal(diag.insn, core->core_relos[0].insn);
    assert_non_null(strstr(diag.line, "core.bpf.c:"));
    assert_int_equal(elf_program_check(prog(obj, "plain"), &diag), 0);
    const elf_program *uapi = prog(obj, "uapi_core"); /* on a UAPI struct: applied */
    assert_int_equal(uapi->core_relo_count, 1);
    assert_string_equal(uapi->core_relos[0].type_name, "struct __sk_buff___local");
    assert_true(uapi->core_relos[0].resolved);
    assert_false(core->core_relos[0].resolved);
    const isa_slot *load = &uapi->insns[uapi->core_relos[0].insn];
    assert_int_equal(load->opcode & 0x07, 0x01); /* ldx */
    assert_int_equal(load->off, 4);              /* __sk_buff.pkt_type */
    assert_int_equal(elf_program_check(uapi, &diag), 0);
    elf_object_free(obj);
}

static int lookup_helper(const char *name, void *user)
{
    (void)user;
    return strcmp(name, "bpf_ktime_get_ns_ext") == 0 ? 5 : -1;
}

static int lookup_nothing(const char *name, void *user)
{
    (void)name;
    (void)user;
    return -1;
}

static void test_extern_call(void **state)
{
    (void)state;
    elf_object *obj = open_prog("extern_call");
    const elf_program *p = prog(obj, "calls_extern");
    assert_int_equal(p->type, ELF_PROG_GENERIC);
    assert_string_equal(p->attach_target, "my_hook");
    ebpf_diag diag;
    assert_int_equal(elf_program_check(p, &diag), -ENOTSUP);
    assert_non_null(strstr(diag.message, "bpf_ktime_get_ns_ext"));
    assert_non_null(strstr(diag.message, "R_BPF_64_32"));
    assert_int_equal(elf_object_resolve_externs(obj, lookup_nothing, NULL), 1);
    assert_int_equal(elf_program_check(p, &diag), -ENOTSUP);
    assert_int_equal(elf_object_resolve_externs(obj, lookup_helper, NULL), 0);
    assert_int_equal(elf_program_check(p, &diag), 0);
    const elf_reloc *r = &p->relocs[0];
    assert_int_equal(r->helper, 5);
    assert_int_equal(p->insns[r->insn].src, 0);
    assert_int_equal(p->insns[r->insn].imm, 5);
    elf_object_free(obj);
}

/* Opens a copy of a compiled object after `edit` changed the first instruction of section `section`
 * that `match` selects; the open must fail with a message containing `words`. */
static void expect_edit_refused(const char *stem, const char *section, bool (*match)(const uint8_t *insn),
                                void (*edit)(uint8_t *insn), const char *words)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.bpf.o", EBPF_ELF_PROG_DIR, stem);
    size_t size, off, len;
    uint8_t *data = elf_test_read_file(path, &size);
    assert_non_null(data);
    assert_true(elf_test_find_section(data, size, section, &off, &len));
    bool edited = false;
    for (size_t i = 0; i + 8 <= len && !edited; i += 8) {
        if (match(data + off + i)) {
            edit(data + off + i);
            edited = true;
        }
    }
    assert_true(edited);
    elf_object *obj = NULL;
    ebpf_diag diag;
    int rc = elf_object_open(data, size, &obj, &diag);
    free(data);
    if (rc == 0)
        fail_msg("%s: edited object was accepted", stem);
    if (!strstr(diag.message, words))
        fail_msg("expected '%s' in: %s", words, diag.message);
}

static bool is_local_call(const uint8_t *insn) { return insn[0] == 0x85 && (insn[1] >> 4) == 1; }
static bool is_lddw(const uint8_t *insn) { return insn[0] == 0x18; }
static bool is_exit(const uint8_t *insn) { return insn[0] == 0x95; }
static void call_one_further(uint8_t *insn) { insn[4]++; }
static void set_src_map_fd(uint8_t *insn) { insn[1] |= 0x10; }
static void make_lddw(uint8_t *insn) { insn[0] = 0x18; insn[1] = 0x11; }

static void test_hostile_edits(void **state)
{
    (void)state;
    /* a call re-aimed into the middle of a function */
    expect_edit_refused("subprogs", "tc", is_local_call, call_one_further, "not the start of a function");
    /* a relocated lddw that already claims to hold a map */
    expect_edit_refused("globals", "tc", is_lddw, set_src_map_fd, "already has pseudo source 1");
    /* a map lddw without any relocation (the exit that ends `tail_one` turned into one) */
    expect_edit_refused("map_in_map", "xdp", is_exit, make_lddw, "pseudo source 1 but no relocation");
}

static void test_section_names(void **state)
{
    (void)state;
    struct { const char *name; uint32_t type, attach; const char *target; } cases[] = {
        {"xdp", ELF_PROG_XDP, ELF_ATTACH_XDP, ""},
        {"xdp_prog", ELF_PROG_XDP, ELF_ATTACH_XDP, ""},          /* legacy prefix */
        {"xdp/devmap", ELF_PROG_XDP, ELF_ATTACH_XDP_DEVMAP, ""},
        {"socket1", ELF_PROG_SOCKET_FILTER, ELF_ATTACH_NONE, ""},
        {"tc", ELF_PROG_SCHED_CLS, ELF_ATTACH_NONE, ""},
        {"classifier/x", ELF_PROG_SCHED_CLS, ELF_ATTACH_NONE, "x"},
        {"kprobe/sys_write", ELF_PROG_KPROBE, ELF_ATTACH_NONE, "sys_write"},
        {"kretprobe/f", ELF_PROG_KPROBE, ELF_ATTACH_NONE, "f"},
        {"tracepoint/syscalls/sys_enter_open", ELF_PROG_TRACEPOINT, ELF_ATTACH_NONE, "syscalls/sys_enter_open"},
        {"raw_tracepoint/task_rename", ELF_PROG_RAW_TRACEPOINT, ELF_ATTACH_NONE, "task_rename"},
        {"cgroup/connect4", ELF_PROG_CGROUP_SOCK_ADDR, ELF_ATTACH_CGROUP_INET4_CONNECT, ""},
        {"cgroup/connect6", ELF_PROG_CGROUP_SOCK_ADDR, ELF_ATTACH_CGROUP_INET6_CONNECT, ""},
        {"cgroup/bind4", ELF_PROG_CGROUP_SOCK_ADDR, ELF_ATTACH_CGROUP_INET4_BIND, ""},
        {"cgroup/bind6", ELF_PROG_CGROUP_SOCK_ADDR, ELF_ATTACH_CGROUP_INET6_BIND, ""},
        {"cgroup/skb", ELF_PROG_CGROUP_SKB, ELF_ATTACH_NONE, ""},
        {"cgroup_skb/egress", ELF_PROG_CGROUP_SKB, ELF_ATTACH_CGROUP_INET_EGRESS, ""},
        {"cgroup/sock1", ELF_PROG_CGROUP_SOCK, ELF_ATTACH_CGROUP_INET_SOCK_CREATE, ""},
        {"sockops", ELF_PROG_SOCK_OPS, ELF_ATTACH_CGROUP_SOCK_OPS, ""},
        {"sk_skb/stream_parser", ELF_PROG_SK_SKB, ELF_ATTACH_SK_SKB_STREAM_PARSER, ""},
        {"sk_msg", ELF_PROG_SK_MSG, ELF_ATTACH_SK_MSG_VERDICT, ""},
        {"lwt_xmit", ELF_PROG_LWT_XMIT, ELF_ATTACH_NONE, ""},
        {"perf_event", ELF_PROG_PERF_EVENT, ELF_ATTACH_PERF_EVENT, ""},
        {"fentry/tcp_connect", ELF_PROG_TRACING, ELF_ATTACH_TRACE_FENTRY, "tcp_connect"},
        {"generic/hook", ELF_PROG_GENERIC, ELF_ATTACH_NONE, "hook"},
        {"tcp_thing", ELF_PROG_UNSPEC, ELF_ATTACH_NONE, ""},      /* "tc" matches only tc and tc/... */
        {".text", ELF_PROG_UNSPEC, ELF_ATTACH_NONE, ""},
        {"kprobex", ELF_PROG_UNSPEC, ELF_ATTACH_NONE, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t type, attach;
        const char *target;
        bool known = elf_section_prog_type(cases[i].name, &type, &attach, &target);
        if (type != cases[i].type || attach != cases[i].attach || strcmp(target, cases[i].target) != 0)
            fail_msg("section '%s': got %s/%s/'%s'", cases[i].name, elf_prog_type_name(type),
                     elf_attach_type_name(attach), target);
        assert_int_equal(known, cases[i].type != ELF_PROG_UNSPEC);
    }
    assert_string_equal(elf_prog_type_name(ELF_PROG_CGROUP_SOCK_ADDR), "cgroup_sock_addr");
    assert_string_equal(elf_prog_type_name(12345), "unknown");
}

/* A 64-byte ELF header with one section (the NULL one) and the given class/data/machine/type. */
static size_t tiny_elf(uint8_t *buf, uint8_t cls, uint8_t data, uint16_t machine, uint16_t type)
{
    memset(buf, 0, 128);
    memcpy(buf, "\177ELF", 4);
    buf[4] = cls;
    buf[5] = data;
    buf[6] = 1;
    buf[16] = (uint8_t)type;
    buf[18] = (uint8_t)machine;
    buf[19] = (uint8_t)(machine >> 8);
    buf[20] = 1;
    buf[40] = 64;   /* e_shoff */
    buf[58] = 64;   /* e_shentsize */
    buf[60] = 1;    /* e_shnum */
    return 128;
}

static void expect_header_refused(const uint8_t *buf, size_t size, const char *words)
{
    elf_object *obj = (elf_object *)1;
    ebpf_diag diag;
    assert_int_equal(elf_object_open(buf, size, &obj, &diag), -EINVAL);
    assert_null(obj);
    if (!strstr(diag.message, words))
        fail_msg("expected '%s' in: %s", words, diag.message);
}

static void test_headers(void **state)
{
    (void)state;
    uint8_t buf[128];
    expect_header_refused((const uint8_t *)"abc", 3, "too small");
    memset(buf, 0, sizeof buf);
    expect_header_refused(buf, sizeof buf, "not an ELF file");
    expect_header_refused(buf, tiny_elf(buf, 1, 1, 247, 1), "ELF64");
    expect_header_refused(buf, tiny_elf(buf, 2, 2, 247, 1), "big-endian");
    expect_header_refused(buf, tiny_elf(buf, 2, 1, 62, 1), "machine 62 is not eBPF");
    expect_header_refused(buf, tiny_elf(buf, 2, 1, 247, 2), "not a relocatable object");
    expect_header_refused(buf, tiny_elf(buf, 2, 1, 247, 1), "section name table");
    tiny_elf(buf, 2, 1, 247, 1);
    buf[40] = 100; /* section table runs off the end */
    expect_header_refused(buf, sizeof buf, "outside the file");
    ebpf_diag diag;
    assert_int_equal(elf_object_open(NULL, 10, NULL, &diag), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest always[] = {
        cmocka_unit_test(test_section_names),
        cmocka_unit_test(test_headers),
    };
    int rc = cmocka_run_group_tests_name("elf_headers_and_sections", always, NULL, NULL);
    if (!EBPF_ELF_PROGS_AVAILABLE) {
        printf("SKIPPED: compiled-object tests need clang and libbpf-dev (bpf/bpf_helpers.h) at configure time\n");
        return rc ? rc : 77;
    }
    const struct CMUnitTest compiled[] = {
        cmocka_unit_test(test_btf_maps),
        cmocka_unit_test(test_legacy_maps),
        cmocka_unit_test(test_global_data),
        cmocka_unit_test(test_subprograms),
        cmocka_unit_test(test_map_in_map_and_prog_array),
        cmocka_unit_test(test_core_relocation_refused),
        cmocka_unit_test(test_extern_call),
        cmocka_unit_test(test_hostile_edits),
    };
    return rc | cmocka_run_group_tests_name("elf_compiled_objects", compiled, NULL, NULL);
}
