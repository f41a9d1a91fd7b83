/*
 * helpers_proc.c - helpers about "the current task and CPU": bpf_get_prandom_u32,
 * bpf_get_smp_processor_id (the thread's CPU slot, platform/sync.h), bpf_get_numa_node_id,
 * bpf_get_current_pid_tgid, bpf_get_current_uid_gid and bpf_get_current_comm (platform/proc.h).
 * The current task is the thread running the program.
 *
 * Random numbers: a per-thread splitmix64 generator, seeded once per thread from the platform's
 * random source mixed with the thread id (like Linux's per-CPU prandom state: fast, not for secrets).
 */
#include "helpers/helpers_int.h"

#include <string.h>

#include "platform/proc.h"
#include "platform/sync.h"

static _Thread_local uint64_t helper_rng_state;
static _Thread_local bool helper_rng_seeded;

static uint64_t helper_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* u32 bpf_get_prandom_u32(void) */
HELPER_FN(get_prandom_u32)
{
    if (!helper_rng_seeded) {
        helper_rng_state = plat_random_seed() ^ ((uint64_t)plat_thread_id() << 32);
        helper_rng_seeded = true;
    }
    return (uint32_t)(helper_splitmix64(&helper_rng_state) >> 32);
}

/* u32 bpf_get_smp_processor_id(void) */
HELPER_FN(get_smp_processor_id)
{
    return plat_cpu_slot();
}

/* long bpf_get_numa_node_id(void): one node */
HELPER_FN(get_numa_node_id)
{
    return 0;
}

/* u64 bpf_get_current_pid_tgid(void): tgid (process id) << 32 | pid (thread id) */
HELPER_FN(get_current_pid_tgid)
{
    return (uint64_t)plat_process_id() << 32 | plat_thread_id();
}

/* u64 bpf_get_current_uid_gid(void): gid << 32 | uid */
HELPER_FN(get_current_uid_gid)
{
    uint32_t uid, gid;
    plat_user_ids(&uid, &gid);
    return (uint64_t)gid << 32 | uid;
}

/* long bpf_get_current_comm(void *buf, u32 size_of_buf): the task name, truncated to size - 1
 * characters, NUL-terminated and zero-padded to size (Linux strscpy_pad). 0. */
HELPER_FN(get_current_comm)
{
    char *buf = HELPER_PTR(r1);
    uint32_t size = (uint32_t)r2;
    char comm[PLAT_COMM_LEN];
    if (size == 0)
        return HELPER_ERR(HELPER_EINVAL);
    plat_thread_name(comm);
    size_t len = strnlen(comm, sizeof comm - 1);
    if (len > size - 1)
        len = size - 1;
    memcpy(buf, comm, len);
    memset(buf + len, 0, size - len);
    return 0;
}
