/*
 * file_read.h: reading a whole file into memory, with a size cap, for imports and
 * reference data.
 */
#ifndef LVHCMON_FILE_READ_H
#define LVHCMON_FILE_READ_H

#include <stddef.h>

#include "error.h"

/**
 * Reads @a path completely (at most @a max_bytes).
 * @param err receives why not (may be NULL): code file_unreadable (or out_of_memory) and a
 *        message such as "cannot open: No such file or directory", without the path, which
 *        the caller adds where it helps (lv_error_prefix())
 * @return a malloc'ed buffer (NUL-terminated, *len_out excludes the NUL) the caller frees
 *         (with lv_wipe_free() of lib/wipe.h when it may hold secrets or BSNs), or NULL
 */
char *file_read_all(const char *path, size_t max_bytes, size_t *len_out, lv_error *err);

#endif
