/*
 * sound_run.c - one program, many checked runs (sound_run.h). Public API only: what a user of the
 * library would do to test a program, so that what the harness sees is what applications get.
 *
 * Every run asks for the uninitialised-read check (ebpf_test_run_opts.check_uninit). Which stops are
 * faults: EBPF_RUN_OUT_OF_BOUNDS (a load, store or atomic outside every region the program may touch,
 * or a store into a read-only one), EBPF_RUN_UNINIT (a read of a register holding no defined value or
 * of a stack byte never written; counted apart as well), EBPF_RUN_CALL_DEPTH (the stack of frames
 * overflowed) and EBPF_RUN_UNKNOWN_HELPER (a call to a helper id that does not exist). A verified
 * program can cause none of them. EBPF_RUN_BUDGET is counted apart (termination is not memory safety)
 * and EBPF_RUN_UNSUPPORTED is the runtime's limit, not the program's.
 */
#include "sound_run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ebpf/ebpf.h"
#include "sound_maps.h"

/* The harness judges programs with vf_verify itself: the runtime must load exactly what it is given,
 * unverified (such programs run only in the checked interpreter, which is all the harness uses). Trees
 * whose loader can verify (ebpf_object_load_with_opts) are told not to; older ones never verify. */
static int load_unverified(ebpf_object *obj, struct ebpf_diag *diag)
{
#ifdef SOUND_HAVE_LOAD_OPTS
    EBPF_OPTS(ebpf_object_load_opts, opts, .verify = { .sz = sizeof(struct ebpf_verify_opts),
                                                       .mode = EBPF_VERIFY_NONE });
    return ebpf_object_load_with_opts(obj, &opts, diag);
#else
    return ebpf_object_load(obj, diag);
#endif
}

static const char *program_type(const ebpf_object *obj, const char *name)
{
    for (size_t i = 0; i < ebpf_object_program_count(obj); i++) {
        EBPF_OPTS(ebpf_program_info, info);
        if (ebpf_object_program_info(obj, i, &info) == 0 && strcmp(info.name, name) == 0)
            return info.type;
    }
    return NULL;
}

static bool is_fault(enum ebpf_run_status s)
{
    return s == EBPF_RUN_OUT_OF_BOUNDS || s == EBPF_RUN_UNINIT || s == EBPF_RUN_CALL_DEPTH ||
           s == EBPF_RUN_UNKNOWN_HELPER;
}

/* Raw contexts: the record size, learnt from ctx_size_out of a run on an all-zero context. */
static int raw_size(ebpf_program *prog, size_t *size, char *why, size_t why_size)
{
    static const uint8_t zero[SOUND_CTX_MAX];
    uint8_t out[SOUND_CTX_MAX];
    EBPF_OPTS(ebpf_test_run_opts, t, .ctx_in = zero, .ctx_size_in = sizeof zero, .ctx_out = out,
              .ctx_size_out = sizeof out, .max_insns = SOUND_MAX_INSNS);
    int rc = ebpf_prog_test_run(prog, &t);
    if (rc == -ENOTSUP && t.status == EBPF_RUN_OK) {
        snprintf(why, why_size, "%s", t.message);
        return rc;
    }
    *size = t.ctx_size_out ? t.ctx_size_out : SOUND_CTX_MAX;
    return 0;
}

static void run_one(ebpf_program *prog, const sound_input *in, sound_stats *st)
{
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = in->data_size ? in->data : NULL, .data_size_in = in->data_size,
              .ctx_in = in->ctx_size ? in->ctx : NULL, .ctx_size_in = in->ctx_size, .mode = EBPF_EXEC_CHECKED,
              .max_insns = SOUND_MAX_INSNS, .check_uninit = true);
    int rc = ebpf_prog_test_run(prog, &t);
    st->runs++;
    if (rc == 0) {
        st->clean++;
    } else if (is_fault(t.status)) {
        st->uninit += t.status == EBPF_RUN_UNINIT;
        if (st->faults++ == 0) {
            snprintf(st->fault_message, sizeof st->fault_message, "%s", t.message);
            st->fault_insn = t.fault_insn;
            st->fault_status = ebpf_run_status_name(t.status);
            st->fault_input = *in;
        }
    } else if (t.status == EBPF_RUN_BUDGET) {
        st->budget++;
    } else if (t.status == EBPF_RUN_UNSUPPORTED) {
        st->unsupported++;
    } else {
        st->refused_input++;
    }
}

bool sound_run_image(const uint8_t *image, size_t size, const char *name, sound_rng *r, unsigned runs,
                     sound_stats *stats, char *skip, size_t skip_size)
{
    memset(stats, 0, sizeof *stats);
    stats->fault_insn = -1;
    struct ebpf_diag diag = { 0 };
    ebpf_object *obj = ebpf_object_open_mem(image, size, NULL, &diag);
    if (!obj) {
        snprintf(skip, skip_size, "open: %s", diag.message);
        return false;
    }
    bool ran = false;
    ebpf_program *prog = NULL;
    if (load_unverified(obj, &diag) != 0)
        snprintf(skip, skip_size, "load: %s", diag.message);
    else if (!(prog = ebpf_object_find_program(obj, name, &diag)))
        snprintf(skip, skip_size, "not loadable: %s", diag.message);
    const char *type = prog ? program_type(obj, name) : NULL;
    if (prog && !type)
        snprintf(skip, skip_size, "no program info");
    if (prog && type) {
        sound_maps_fill(obj, r);
        sound_kind kind = sound_kind_of(type);
        size_t raw = 0;
        if (kind != SOUND_RAW || raw_size(prog, &raw, skip, skip_size) == 0) {
            for (unsigned i = 0; i < runs; i++) {
                sound_input in;
                sound_input_make(r, kind, raw, &in);
                run_one(prog, &in, stats);
            }
            ran = stats->unsupported < stats->runs || stats->faults;
            if (!ran)
                snprintf(skip, skip_size, "every run unsupported");
        }
    }
    ebpf_object_close(obj);
    return ran;
}

void sound_print_input(const sound_input *in, size_t max)
{
    printf("      packet (%zu bytes):", in->data_size);
    for (size_t i = 0; i < in->data_size && i < max; i++)
        printf("%s%02x", i % 32 ? "" : "\n        ", in->data[i]);
    printf("%s\n", in->data_size > max ? " ..." : "");
    if (in->ctx_size) {
        printf("      ctx_in (%zu bytes):", in->ctx_size);
        for (size_t i = 0; i < in->ctx_size && i < max; i++)
            printf("%s%02x", i % 32 ? "" : "\n        ", in->ctx[i]);
        printf("%s\n", in->ctx_size > max ? " ..." : "");
    }
}
