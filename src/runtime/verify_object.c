/*
 * verify_object.c - the verifier applied to an object's programs: the input built from the ELF program
 * (vf_elf.c), the run (verify.c), and what a verdict becomes - for ebpf_object_load a refusal record
 * (message, instruction, source line) or a failed load, for ebpf_object_verify a filled result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/opts.h"
#include "platform/platform.h"
#include "runtime/runtime_int.h"
#include "verifier/vf_elf.h"

/* "file.c:NN" (the file's base name) of instruction insn: its own line, or (compilers give some instructions line 0) the
 * nearest one before it in the program. */
static void line_of(const elf_program *p, int64_t insn, char *out, size_t size)
{
    out[0] = 0;
    for (int64_t pc = insn; pc >= 0; pc--) {
        const elf_line *line = elf_program_line(p, (size_t)pc);
        if (line && line->line && line->line != ELF_NO_LINE && line->file) {
            const char *base = line->file;
            for (const char *c = line->file; *c; c++)
                if (*c == '/' || *c == '\\')
                    base = c + 1;
            snprintf(out, size, "%s:%u", base, (unsigned)line->line);
            return;
        }
    }
}

/* Runs the verifier on program `index` (loads: through the verdict cache); *time_us is the wall-clock
 * time it took. */
static int verify_program(ebpf_object *obj, size_t index, const runtime_verify_opts *opts, uint32_t flags,
                          bool for_load, vf_result *res, uint64_t *time_us)
{
    const elf_program *p = elf_object_program(obj->elf, index);
    vf_elf_input in;
    memset(res, 0, sizeof *res);
    res->insn = -1;
    if (vf_input_from_elf(obj->elf, p, &in) != 0) {
        res->verdict = VF_ERROR;
        snprintf(res->message, sizeof res->message, "out of memory");
        return -ENOMEM;
    }
    in.input.flags = flags;
    uint64_t start = plat_monotonic_ns();
    int rc = for_load ? runtime_verify_cached(&in.input, opts, res) : runtime_verify(&in.input, opts, res);
    *time_us = (plat_monotonic_ns() - start) / 1000u;
    vf_elf_input_free(&in);
    return rc;
}

int runtime_verify_for_load(ebpf_object *obj, size_t index, const runtime_verify_opts *opts, ebpf_diag *diag)
{
    const elf_program *p = elf_object_program(obj->elf, index);
    vf_result res;
    uint64_t time_us;
    int rc = verify_program(obj, index, opts, 0, true, &res, &time_us);
    if (rc < 0) {
        diag_fail_errno(diag, rc, -1, "program '%s': %s", p->name, res.message);
        vf_result_free(&res);
        return rc;
    }
    if (res.verdict == VF_ACCEPT) {
        vf_result_free(&res);
        return 0;
    }
    ebpf_diag *refusal = calloc(1, sizeof *refusal);
    if (!refusal) {
        vf_result_free(&res);
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
    }
    if (res.insn >= 0)
        diag_fail_errno(refusal, -EACCES, res.insn, "program '%s' refused by the verifier: instruction %lld: %s",
                        p->name, (long long)res.insn, res.message);
    else
        diag_fail_errno(refusal, -EACCES, -1, "program '%s' refused by the verifier: %s", p->name, res.message);
    line_of(p, res.insn, refusal->line, sizeof refusal->line);
    obj->refusals[index] = refusal;
    base_log(EBPF_LOG_INFO, "%s%s%s", refusal->message, refusal->line[0] ? " at " : "", refusal->line);
    vf_result_free(&res);
    return 1;
}

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

int ebpf_object_verify(ebpf_object *obj, const char *name, const struct ebpf_verify_opts *user_opts,
                       struct ebpf_verify_result *result)
{
    if (!obj || !name || !result || result->sz < sizeof(size_t))
        return fail_errno(EINVAL);
    struct ebpf_verify_result r;
    memset(&r, 0, sizeof r);
    r.sz = result->sz;
    r.verdict = EBPF_VERDICT_ERROR;
    r.insn = -1;
    runtime_verify_opts opts;
    bool trusted, keep_state;
    int rc = runtime_verify_opts_resolve(user_opts, false, &opts, &trusted, &keep_state);
    int index = rc ? rc : runtime_object_program_index(obj, name);
    if (rc == 0 && index < 0)
        rc = index;
    if (rc == 0 && opts.mode == EBPF_VERIFY_NONE) {
        snprintf(r.message, sizeof r.message, "verification mode 'none' verifies nothing");
        rc = -EINVAL;
    }
    if (rc == 0 && !obj->loaded) {
        ebpf_diag why;
        diag_clear(&why);
        if (runtime_object_prepare(obj, &why) != 0) {
            snprintf(r.message, sizeof r.message, "%s", why.message);
            rc = -ENOMEM;
        }
    }
    if (rc == 0) {
        const elf_program *p = elf_object_program(obj->elf, (size_t)index);
        r.insn_count = p->insn_count;
        if (obj->problems[index]) {
            snprintf(r.message, sizeof r.message, "%s", obj->problems[index]);
        } else {
            vf_result res;
            rc = verify_program(obj, (size_t)index, &opts, keep_state ? VF_KEEP_STATE : 0, false, &res, &r.time_us);
            r.verdict = (enum ebpf_verdict)res.verdict;
            r.insn = res.insn;
            r.visits = res.visits;
            snprintf(r.message, sizeof r.message, "%s", res.message);
            line_of(p, res.insn, r.line, sizeof r.line);
            r.state = res.state;
            res.state = NULL;
            vf_result_free(&res);
        }
    }
    if (result->sz >= sizeof r) {
        *result = r;
    } else { /* an older, smaller struct: the state text cannot be handed over */
        free(r.state);
        r.state = NULL;
        memcpy(result, &r, result->sz);
    }
    return rc ? fail_errno(-rc) : 0;
}
