/*
 * wipe.c: wiping frees and reallocations (see wipe.h).
 */
#include "wipe.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void lv_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        explicit_bzero(p, n);
}

void lv_wipe_free(void *p)
{
    if (p == NULL)
        return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

void *lv_wipe_realloc(void *p, size_t size)
{
    if (size == 0) {
        lv_wipe_free(p);
        return NULL;
    }
    void *fresh = malloc(size);
    if (fresh == NULL || p == NULL)
        return fresh;
    size_t old = malloc_usable_size(p);
    memcpy(fresh, p, old < size ? old : size);
    lv_wipe_free(p);
    return fresh;
}
