/*
 * commands.h - the subcommands of the `ebpf` tool. Each takes argc/argv after the command word and
 * returns the process exit code (0 ok, 1 "no" answer, 2 bad input or usage).
 */
#ifndef EBPF_CLI_COMMANDS_H
#define EBPF_CLI_COMMANDS_H

#include <stddef.h>
#include "ebpf/ebpf.h"

int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_conformance(int argc, char **argv);
int cmd_jit_dump(int argc, char **argv);
int cmd_prog(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Loads raw bytecode from FILE (or assembles it when the name ends in .asm or .s). Returns the
 * instruction count, or -1 after printing an error. */
int cli_load_program(const char *path, struct ebpf_insn **insns);

/* Disassembles an ELF object held in `data` (all programs, or the one named `program` when not NULL),
 * with source lines; `path` is for messages. Returns the exit code. */
int cli_disasm_object(const char *path, const void *data, size_t size, const char *program);

#endif
