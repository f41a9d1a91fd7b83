/*
 * sound_dir.h - the clang-built objects of a folder (its *.bpf.o files), visited in name order: the
 * tests/progs objects that the soundness harness and the kernel comparison both go through.
 */
#ifndef SOUND_DIR_H
#define SOUND_DIR_H

/* Calls visit(path, file name, user) for every *.bpf.o of dir, sorted by name. Returns how many. */
int sound_each_object(const char *dir, void (*visit)(const char *path, const char *name, void *user), void *user);

#endif
