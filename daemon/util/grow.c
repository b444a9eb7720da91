/*
 * grow.c: doubling growth for byte buffers (see grow.h).
 */
#include "util/grow.h"

#include <stdlib.h>

bool grow_to(char **data, size_t *cap, size_t need, size_t first)
{
    if (need <= *cap)
        return true;
    size_t size = *cap ? *cap : first;
    while (size < need)
        size *= 2;
    char *grown = realloc(*data, size);
    if (!grown)
        return false;
    *data = grown;
    *cap = size;
    return true;
}
