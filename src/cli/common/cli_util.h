/*
 * cli_util.h - small pieces every command-line tool needs: reading files, strict hex parsing, and the
 * one error convention of the tools (one line on stderr, exit code 2 for bad input or usage).
 */
#ifndef EBPF_CLI_UTIL_H
#define EBPF_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1   /* the command ran and the answer is "no" (e.g. a test failed) */
#define CLI_EXIT_USAGE 2  /* bad input or usage */

/* Prints "PROG: message" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__MINGW32__)
    __attribute__((format(gnu_printf, 1, 2)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Sets the program name used in messages. */
void cli_set_name(const char *name);

/* Reads a whole file (NUL-terminated). Returns 0 or -errno. */
int cli_read_file(const char *path, uint8_t **data, size_t *size);

/* Writes a whole file. Returns 0 or -errno. */
int cli_write_file(const char *path, const void *data, size_t size);

/* Parses hex bytes: pairs of hex digits, optionally separated by blanks, an optional "0x" prefix on the
 * whole string. Returns 0, or -1 with a reason in `why` ("odd number of hex digits", "'z' is not a hex
 * digit at position 3"). *out is malloc'd (non-NULL even when empty). */
int cli_parse_hex(const char *text, uint8_t **out, size_t *size, char *why, size_t why_size);

/* Parses an unsigned decimal or 0x-hex number that must fit in 64 bits. */
bool cli_parse_u64(const char *text, uint64_t *value);

#endif
