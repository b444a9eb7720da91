/*
 * wipe.h: releasing memory that held personal data (clear BSNs) so that the bytes do not
 * linger in freed heap blocks, where a later allocation, a core dump or a debugger could
 * find them. Every buffer that held a clear BSN (a request body, parsed lines, a JSON tree,
 * a CSV parser's field buffer, an imported file) is released through these functions, and
 * grows through lv_wipe_realloc() instead of realloc(), which would leave the old block as
 * it was.
 *
 * The sizes come from malloc_usable_size() (glibc), so the functions work on any block from
 * malloc() and can serve as the free/realloc hooks of libraries (jansson's
 * json_set_alloc_funcs(), libcsv's csv_set_realloc_func()), which do not pass sizes.
 * The wiping is explicit_bzero(): the compiler may not drop it as a dead store.
 */
#ifndef LVHCMON_WIPE_H
#define LVHCMON_WIPE_H

#include <stddef.h>

/** Overwrites @a n bytes at @a p with zeros, in a way the compiler keeps. Accepts NULL. */
void lv_wipe(void *p, size_t n);

/** Wipes the whole block @a p (from malloc) and frees it. Accepts NULL. */
void lv_wipe_free(void *p);

/**
 * realloc() that wipes the block it leaves: a new block receives the old contents (up to
 * @a size), then the old block is wiped and freed.
 * @param p a block from malloc, or NULL (then this is malloc())
 * @param size the new size; 0 frees @a p (wiped) and returns NULL
 * @return the new block, or NULL when out of memory (@a p is then untouched)
 */
void *lv_wipe_realloc(void *p, size_t size);

#endif
