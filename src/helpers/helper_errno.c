/*
 * helper_errno.c - map-layer results into helper return values. The map layer reports host errno
 * values; programs must see Linux's numbers whatever the host (mingw numbers some codes differently,
 * e.g. EOPNOTSUPP), so every negative result goes through this table. Codes absent from it are
 * either the same everywhere (EPERM..ERANGE, 1..34) or Linux-only values such as ENOTSUPP (524),
 * and pass unchanged.
 */
#include "helpers/helpers_int.h"

#include <errno.h>

static const struct { int host, linux_no; } helper_errno_map[] = {
    { EPERM, HELPER_EPERM },     { ENOENT, HELPER_ENOENT }, { E2BIG, HELPER_E2BIG },
    { EAGAIN, HELPER_EAGAIN },   { ENOMEM, HELPER_ENOMEM }, { EACCES, HELPER_EACCES },
    { EFAULT, HELPER_EFAULT },   { EBUSY, HELPER_EBUSY },   { EEXIST, HELPER_EEXIST },
    { EINVAL, HELPER_EINVAL },   { ENOSPC, HELPER_ENOSPC }, { ERANGE, HELPER_ERANGE },
    { EOPNOTSUPP, HELPER_EOPNOTSUPP }, { ENOTSUP, HELPER_EOPNOTSUPP },
#ifdef ELOOP
    { ELOOP, 40 },
#endif
#ifdef EOVERFLOW
    { EOVERFLOW, 75 },
#endif
#ifdef ETIMEDOUT
    { ETIMEDOUT, 110 },
#endif
};

uint64_t helper_ret(long rc)
{
    if (rc >= 0)
        return (uint64_t)rc;
    if (rc == -(long)ABI_ENOTSUPP)
        return HELPER_ERR(ABI_ENOTSUPP);
    for (size_t i = 0; i < sizeof helper_errno_map / sizeof helper_errno_map[0]; i++)
        if (-rc == helper_errno_map[i].host)
            return HELPER_ERR(helper_errno_map[i].linux_no);
    return (uint64_t)(int64_t)rc;
}
