/*
 * cli_json.h - writing JSON string values (cli_json.c).
 */
#ifndef EBPF_CLI_JSON_H
#define EBPF_CLI_JSON_H

#include <stdio.h>

/* Writes text as a JSON string ("null" for NULL). */
void cli_json_string(FILE *out, const char *text);

#endif
