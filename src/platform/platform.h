/*
 * platform.h - every service the core needs from the operating system, declared once. Implemented in
 * posix/ and win32/; nothing outside src/platform/ includes an OS header.
 */
#ifndef EBPF_PLATFORM_H
#define EBPF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic clock in nanoseconds. */
uint64_t plat_monotonic_ns(void);

/* Reads a whole file into a malloc'd buffer (NUL-terminated for convenience; *size excludes the NUL).
 * Returns 0 or a negative errno. */
int plat_read_file(const char *path, uint8_t **data, size_t *size);

/* Lists the names (not paths) of the regular entries of a directory, unsorted, as a malloc'd array of
 * malloc'd strings (free with plat_free_list). "." and ".." are left out. Returns the count or a
 * negative errno. */
int plat_list_dir(const char *dir, char ***names);
void plat_free_list(char **names, int count);

/* Runs argv[0] with argv, feeding `input` on stdin and collecting stdout and stderr (malloc'd,
 * NUL-terminated). *exit_code is the exit status, or 128+signal. Returns 0 or a negative errno. */
int plat_run_process(char *const argv[], const char *input, size_t input_size, char **out, char **err,
                     int *exit_code);

#endif
