/*
 * process_guard.c: no core dumps, wiped JSON memory (see process_guard.h).
 */
#include "process_guard.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "wipe.h"

bool process_guard(void)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) {
        fprintf(stderr, "cannot switch core dumps off (RLIMIT_CORE): %s\n", strerror(errno));
        return false;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        fprintf(stderr, "cannot switch core dumps off (PR_SET_DUMPABLE): %s\n", strerror(errno));
        return false;
    }
    json_set_alloc_funcs(malloc, lv_wipe_free);
    return true;
}

int process_dumpable(void)
{
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}
