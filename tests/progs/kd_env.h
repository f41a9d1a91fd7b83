/* kd_env.h - the record the kernel-differential runner (kernel_diff/) writes into a program's `kd_env`
 * map right before each run, on each side: facts about the running task and clock that programs
 * compare helper results against (they store the comparison, not the raw value, so that the two sides
 * stay comparable). Shared by the .bpf.c programs and the runner; plain fixed-size fields only. */
#ifndef KD_ENV_H
#define KD_ENV_H

#include <linux/types.h>

struct kd_env {
    __u64 mono_before;  /* CLOCK_MONOTONIC just before the run, ns */
    __u64 boot_before;  /* CLOCK_BOOTTIME just before the run, ns */
    __u64 pid_tgid;     /* getpid() << 32 | gettid() of the thread that runs the program */
    __u64 uid_gid;      /* getgid() << 32 | getuid() */
    __u32 nr_cpus;      /* possible CPUs (per-CPU value slots) */
    __u32 run_cpu;      /* the CPU (ours: the CPU slot) the program runs on */
    char comm[16];      /* the thread's name, NUL-padded */
    __u64 coarse_before; /* CLOCK_MONOTONIC_COARSE just before the run, ns */
    __u64 tai_before;    /* CLOCK_TAI just before the run, ns */
};

#endif
