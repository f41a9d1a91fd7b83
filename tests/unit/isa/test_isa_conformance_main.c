/*
 * test_isa_conformance_main.c - the isa tests over the bpf_conformance data in ../shared. Without that
 * folder they are skipped loudly (exit 77, ctest's skip code), never passed silently.
 */
#include <dirent.h>
#include <stdio.h>

#include "test_isa.h"

int main(void)
{
    DIR *dir = opendir(EBPF_CONFORMANCE_DIR);
    if (!dir) {
        printf("SKIPPED: ../shared/bpf_conformance not found (looked for %s)\n", EBPF_CONFORMANCE_DIR);
        fflush(stdout);
        return 77;
    }
    closedir(dir);
    return isa_test_conformance(EBPF_CONFORMANCE_DIR) == 0 ? 0 : 1;
}
