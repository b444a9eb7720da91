/*
 * file_read.h: reading a whole file into memory, with a size cap, for imports and
 * reference data.
 */
#ifndef LVHCMON_FILE_READ_H
#define LVHCMON_FILE_READ_H

#include <stddef.h>

/**
 * Reads @a path completely (at most @a max_bytes).
 * @return a malloc'ed buffer (NUL-terminated, *len_out excludes the NUL) the caller frees,
 *         or NULL with a reason in @a err.
 */
char *file_read_all(const char *path, size_t max_bytes, size_t *len_out, char *err,
                    size_t err_size);

#endif
