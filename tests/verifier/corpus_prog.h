/*
 * corpus_prog.h - one labelled program of the verifier corpus (../shared/corpus/labels.tsv), loaded as
 * the runtime loads it and turned into a vf_input. Shared by the corpus test (test_corpus.c) and the
 * verifier benchmark (bench/bench_verifier.c), so that both judge exactly the same inputs.
 */
#ifndef EBPF_CORPUS_PROG_H
#define EBPF_CORPUS_PROG_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf_object.h"
#include "verifier/vf_elf.h"

/* The first four columns of a labels.tsv line (see the corpus README). */
typedef struct corpus_label {
    const char *object;     /* path below the corpus folder, e.g. linux/sockex1_kern.o */
    const char *section;
    const char *program;
    const char *expected;   /* safe, unsafe, malformed or unknown */
} corpus_label;

/* Splits one line of labels.tsv in place (tabs, end of line); the fields point into line.
 * false for the header line and for lines with fewer than four columns. */
bool corpus_label_parse(char *line, corpus_label *out);

typedef struct corpus_prog {
    elf_object *obj;
    const elf_program *prog;    /* the labelled program of obj, NULL when it was not found */
    vf_elf_input vin;           /* ready for vf_verify(&vin.input) when corpus_prog_load returned 1 */
    bool have_vin;
} corpus_prog;

/*
 * Loads label's program from dir/label->object: reads and opens the object, resolves externs named like
 * helpers to them, finds the program by section and name, elf_program_check, vf_input_from_elf, and
 * sets the unprivileged profile (VF_UNPRIVILEGED). Returns 1 with p ready, 0 when the loader refused
 * the object or program (reason in why: a refusal), -1 when the file cannot be read or memory ran out
 * (why says which). Call corpus_prog_free afterwards whatever it returned.
 */
int corpus_prog_load(const char *dir, const corpus_label *label, corpus_prog *p, char *why, size_t whylen);
void corpus_prog_free(corpus_prog *p);

#endif
