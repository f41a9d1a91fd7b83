/*
 * sync.c (win32) - sync.h on Win32: SRW locks as mutexes, CONDITION_VARIABLE, threads through
 * _beginthreadex (so the C runtime's per-thread state is set up), fiber-local storage for keys with
 * destructors (FlsAlloc callbacks run at thread exit), and the processor count of all groups.
 */
#include "platform/win32/win32_int.h"
#include "platform/sync.h"

#include <errno.h>
#include <process.h>
#include <stdlib.h>

_Static_assert(sizeof(SRWLOCK) <= PLAT_SYNC_STORAGE, "SRWLOCK fits plat_mutex");
_Static_assert(sizeof(CONDITION_VARIABLE) <= PLAT_SYNC_STORAGE, "CONDITION_VARIABLE fits plat_cond");

#define PLAT_MUTEX(m) ((SRWLOCK *)(void *)(m)->opaque)
#define PLAT_COND(c) ((CONDITION_VARIABLE *)(void *)(c)->opaque)

int plat_mutex_init(plat_mutex *m)
{
    InitializeSRWLock(PLAT_MUTEX(m));
    return 0;
}

void plat_mutex_destroy(plat_mutex *m)
{
    (void)m; /* SRW locks own no resources */
}

void plat_mutex_lock(plat_mutex *m)
{
    AcquireSRWLockExclusive(PLAT_MUTEX(m));
}

bool plat_mutex_trylock(plat_mutex *m)
{
    return TryAcquireSRWLockExclusive(PLAT_MUTEX(m)) != 0;
}

void plat_mutex_unlock(plat_mutex *m)
{
    ReleaseSRWLockExclusive(PLAT_MUTEX(m));
}

int plat_cond_init(plat_cond *c)
{
    InitializeConditionVariable(PLAT_COND(c));
    return 0;
}

void plat_cond_destroy(plat_cond *c)
{
    (void)c;
}

bool plat_cond_wait(plat_cond *c, plat_mutex *m, int64_t timeout_ms)
{
    DWORD ms = INFINITE;
    if (timeout_ms >= 0)
        ms = timeout_ms >= (int64_t)INFINITE ? INFINITE - 1 : (DWORD)timeout_ms;
    if (SleepConditionVariableSRW(PLAT_COND(c), PLAT_MUTEX(m), ms, 0))
        return true;
    return GetLastError() != ERROR_TIMEOUT;
}

void plat_cond_signal(plat_cond *c)
{
    WakeConditionVariable(PLAT_COND(c));
}

void plat_cond_broadcast(plat_cond *c)
{
    WakeAllConditionVariable(PLAT_COND(c));
}

struct plat_thread {
    HANDLE handle;
    plat_thread_fn fn;
    void *arg;
};

static unsigned __stdcall plat_thread_start(void *p)
{
    plat_thread *t = p;
    t->fn(t->arg);
    return 0;
}

int plat_thread_create(plat_thread **thread, plat_thread_fn fn, void *arg)
{
    plat_thread *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->fn = fn;
    t->arg = arg;
    uintptr_t h = _beginthreadex(NULL, 0, plat_thread_start, t, 0, NULL);
    if (h == 0) {
        int err = errno ? errno : EAGAIN;
        free(t);
        return -err;
    }
    t->handle = (HANDLE)h;
    *thread = t;
    return 0;
}

void plat_thread_join(plat_thread *thread)
{
    if (!thread)
        return;
    WaitForSingleObject(thread->handle, INFINITE);
    CloseHandle(thread->handle);
    free(thread);
}

void plat_thread_yield(void)
{
    SwitchToThread();
}

/* FLS callbacks are `void WINAPI (void *)`, which is not a plain C function pointer on every target,
 * so each key gets one of a fixed set of trampolines that calls the key's C destructor. */
#define PLAT_TLS_MAX_KEYS 16
static void (*plat_tls_destructors[PLAT_TLS_MAX_KEYS])(void *);
static LONG plat_tls_used;

#define PLAT_TLS_TRAMPOLINE(i)                                  \
    static void WINAPI plat_tls_trampoline_##i(void *value)     \
    {                                                           \
        if (value && plat_tls_destructors[i])                   \
            plat_tls_destructors[i](value);                     \
    }
PLAT_TLS_TRAMPOLINE(0) PLAT_TLS_TRAMPOLINE(1) PLAT_TLS_TRAMPOLINE(2) PLAT_TLS_TRAMPOLINE(3)
PLAT_TLS_TRAMPOLINE(4) PLAT_TLS_TRAMPOLINE(5) PLAT_TLS_TRAMPOLINE(6) PLAT_TLS_TRAMPOLINE(7)
PLAT_TLS_TRAMPOLINE(8) PLAT_TLS_TRAMPOLINE(9) PLAT_TLS_TRAMPOLINE(10) PLAT_TLS_TRAMPOLINE(11)
PLAT_TLS_TRAMPOLINE(12) PLAT_TLS_TRAMPOLINE(13) PLAT_TLS_TRAMPOLINE(14) PLAT_TLS_TRAMPOLINE(15)

static PFLS_CALLBACK_FUNCTION const plat_tls_trampolines[PLAT_TLS_MAX_KEYS] = {
    plat_tls_trampoline_0,  plat_tls_trampoline_1,  plat_tls_trampoline_2,  plat_tls_trampoline_3,
    plat_tls_trampoline_4,  plat_tls_trampoline_5,  plat_tls_trampoline_6,  plat_tls_trampoline_7,
    plat_tls_trampoline_8,  plat_tls_trampoline_9,  plat_tls_trampoline_10, plat_tls_trampoline_11,
    plat_tls_trampoline_12, plat_tls_trampoline_13, plat_tls_trampoline_14, plat_tls_trampoline_15,
};

int plat_tls_create(plat_tls *tls, void (*destructor)(void *value))
{
    PFLS_CALLBACK_FUNCTION callback = NULL;
    if (destructor) {
        LONG slot = InterlockedIncrement(&plat_tls_used) - 1;
        if (slot >= PLAT_TLS_MAX_KEYS)
            return -EAGAIN;
        plat_tls_destructors[slot] = destructor;
        callback = plat_tls_trampolines[slot];
    }
    DWORD index = FlsAlloc(callback);
    if (index == FLS_OUT_OF_INDEXES)
        return -EAGAIN;
    tls->key = (uintptr_t)index;
    return 0;
}

void *plat_tls_get(plat_tls tls)
{
    return FlsGetValue((DWORD)tls.key);
}

int plat_tls_set(plat_tls tls, void *value)
{
    return FlsSetValue((DWORD)tls.key, value) ? 0 : -plat_win32_errno(GetLastError());
}

static unsigned plat_cpus;
static plat_once plat_cpus_once = PLAT_ONCE_INIT;

static void plat_cpus_init(void)
{
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (n == 0) {
        SYSTEM_INFO info;
        GetSystemInfo(&info);
        n = info.dwNumberOfProcessors;
    }
    plat_cpus = n ? (unsigned)n : 1;
}

unsigned plat_cpu_count(void)
{
    plat_call_once(&plat_cpus_once, plat_cpus_init);
    return plat_cpus;
}

#include "platform/sync_portable.inc"
