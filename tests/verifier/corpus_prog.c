/*
 * corpus_prog.c - parsing labels.tsv lines and loading their programs into verifier inputs
 * (corpus_prog.h).
 */
#include "corpus_prog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "platform/platform.h"

bool corpus_label_parse(char *line, corpus_label *out)
{
    line[strcspn(line, "\r\n")] = 0;
    char *cols[4] = {0};
    char *p = line;
    for (int i = 0; i < 4 && p; i++) {
        cols[i] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = 0;
    }
    if (!cols[3] || !strcmp(cols[0], "object"))
        return false;
    out->object = cols[0];
    out->section = cols[1];
    out->program = cols[2];
    out->expected = cols[3];
    return true;
}

/* Calls to undefined functions named like helpers become helper calls, as the runtime's load does. */
static int lookup_helper(const char *name, void *user)
{
    (void)user;
    const abi_helper *h = abi_helper_by_name(name);
    return h ? (int)h->id : -1;
}

int corpus_prog_load(const char *dir, const corpus_label *label, corpus_prog *p, char *why, size_t whylen)
{
    memset(p, 0, sizeof *p);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, label->object);
    uint8_t *data = NULL;
    size_t size = 0;
    if (plat_read_file(path, &data, &size) != 0) {
        snprintf(why, whylen, "cannot read %.400s", path);
        return -1;
    }
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    int rc = elf_object_open(data, size, &p->obj, &diag);
    free(data);
    if (rc < 0) {
        p->obj = NULL;
        snprintf(why, whylen, "loader: %s", diag.message[0] ? diag.message : "refused");
        return 0;
    }
    elf_object_resolve_externs(p->obj, lookup_helper, NULL);
    for (size_t i = 0; i < elf_object_program_count(p->obj); i++) {
        const elf_program *prog = elf_object_program(p->obj, i);
        if (!strcmp(prog->section, label->section) && !strcmp(prog->name, label->program))
            p->prog = prog;
    }
    if (!p->prog) {
        snprintf(why, whylen, "loader: no program %s in section %s", label->program, label->section);
        return 0;
    }
    if (elf_program_check(p->prog, &diag) < 0) {
        snprintf(why, whylen, "loader: %s", diag.message[0] ? diag.message : "refused");
        return 0;
    }
    if (vf_input_from_elf(p->obj, p->prog, &p->vin) < 0) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    p->have_vin = true;
    p->vin.input.flags = VF_UNPRIVILEGED;
    return 1;
}

void corpus_prog_free(corpus_prog *p)
{
    if (p->have_vin)
        vf_elf_input_free(&p->vin);
    if (p->obj)
        elf_object_free(p->obj);
    memset(p, 0, sizeof *p);
}
