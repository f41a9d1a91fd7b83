/*
 * vk_compare.c - one program or mutant on both verifiers, its class and what is printed for it
 * (vk_compare.h).
 */
#include "vk_compare.h"

#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "vk_kernel.h"

#define VK_LOG_HEAD 8   /* lines of the kernel's log shown for an unexpected refusal */
#define VK_LOG_TAIL 12

static double now(void)
{
    return (double)plat_monotonic_ns() * 1e-9;
}

/* Our verdict: the loader's checks, then vf_verify. true when accepted; why says why not. */
static bool ours(vk_run *run, const sound_obj *obj, const elf_program *prog, const isa_slot *code, char *why,
                 size_t size)
{
    ebpf_diag diag = { 0 };
    run->visits = 0;
    if (elf_program_check(prog, &diag) != 0) {
        snprintf(why, size, "loader: %s", diag.message);
        return false;
    }
    vf_result res;
    vf_verdict v = sound_verify(obj, prog, code, &res);
    run->visits = res.visits;
    if (v == VF_ACCEPT)
        snprintf(why, size, "accepted (%llu instructions analysed)", (unsigned long long)res.visits);
    else
        snprintf(why, size, "%s at insn %lld: %s", v == VF_REJECT ? "refused" : "error", (long long)res.insn,
                 res.message);
    return v == VF_ACCEPT;
}

static void we_only(vk_run *run, const char *key, const char *desc, const vk_verdict *k, const char *our_why)
{
    const vk_entry *e = vk_expect_take(&run->expect, key);
    if (e && vk_entry_is_bug(e)) {
        run->bugs++;
        printf("KNOWN SOUNDNESS BUG %s: %s\n", key, e->reason);
        return;
    }
    if (e) {
        printf("expected: we accept, Linux refuses %s: %s\n", key, e->reason);
        return;
    }
    run->unexpected++;
    printf("UNEXPECTED: we accept, Linux refuses %s%s%s\n", key, desc ? " / mutant " : "", desc ? desc : "");
    printf("    ours: %s\n    kernel: %s; its verifier log:\n", our_why, strerror(-k->err));
    vk_print_log(k->log, VK_LOG_HEAD, VK_LOG_TAIL, "      | ");
    printf("    a soundness bug of ours, or a refusal that is fine: then add `%s <why it is fine>` to "
           "kernel_verdicts.expect (a bug: `%s BUG: <what>`)\n", key, key);
}

vk_class vk_compare(vk_run *run, const char *key, const sound_obj *obj, const elf_program *prog, const isa_slot *code,
                    const uint8_t *const *images, size_t image_count, const char *desc)
{
    char our_why[VF_MESSAGE_MAX + 64];
    double t0 = now();
    bool accepted = ours(run, obj, prog, code, our_why, sizeof our_why);
    double t1 = now();
    vk_verdict k;
    char name[16];
    snprintf(name, sizeof name, "vk_%.12s", prog->name);
    for (size_t i = 0; i < image_count && (i == 0 || k.kind != VK_ACCEPT); i++) {
        vk_kernel_load(images[i], obj->size, name, prog->name, prog->type, &k);
        run->loads++;
    }
    double t2 = now();
    vk_class c = k.kind == VK_ENV       ? VK_NOT_TRIED
                 : k.kind == VK_ACCEPT  ? (accepted ? VK_BOTH_ACCEPT : VK_LINUX_ONLY)
                 : accepted             ? VK_WE_ONLY
                                        : VK_BOTH_REFUSE;
    run->n[run->origin][code != NULL][c]++;
    if (run->verbose)
        printf("%s: ours %s; kernel %s (%.0f ms ours, %.0f ms kernel)\n", key, our_why,
               k.kind == VK_ACCEPT ? "accepted" : k.kind == VK_REFUSE ? "refused" : "not tried", (t1 - t0) * 1e3,
               (t2 - t1) * 1e3);
    if (c == VK_WE_ONLY)
        we_only(run, key, desc, &k, our_why);
    else if (c == VK_LINUX_ONLY)
        printf("precision gap (we refuse, Linux accepts) %s%s%s: %s\n", key, desc ? " / " : "", desc ? desc : "",
               our_why);
    else if (c == VK_NOT_TRIED)
        printf("not tried by the kernel %s: %s\n", key, k.why);
    return c;
}
