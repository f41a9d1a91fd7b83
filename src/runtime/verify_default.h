/*
 * verify_default.h - THE ONE SWITCH for what ebpf_object_load does when the caller does not choose
 * (EBPF_VERIFY_DEFAULT: ebpf_object_load, `ebpf run` without --no-verify).
 *
 *   0           programs are loaded unverified but trusted, as before the verifier existed: every engine
 *               may run them (the checked interpreter stays the default of test runs).
 *   1  (today)  programs are verified in the sandboxed verifier process (EBPF_VERIFY_PROCESS); a refused
 *               program cannot be run; verified programs may use the fast interpreter and the JIT.
 *
 * Explicit modes (EBPF_VERIFY_PROCESS / IN_PROCESS / NONE) behave the same either way.
 */
#ifndef EBPF_RUNTIME_VERIFY_DEFAULT_H
#define EBPF_RUNTIME_VERIFY_DEFAULT_H

#define RUNTIME_VERIFY_BY_DEFAULT 1

#endif
