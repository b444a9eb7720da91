/*
 * file_read.c: whole-file reads with a cap, errors carrying errno's text. The files read
 * may hold secrets or personal data (keys, declaration files with clear BSNs): the buffer
 * grows and is dropped through the wiping functions of lib/wipe.h.
 */
#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wipe.h"

char *file_read_all(const char *path, size_t max_bytes, size_t *len_out, lv_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            if (cap >= max_bytes) {
                lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL, "larger than the limit of %zu bytes",
                             max_bytes);
                lv_wipe_free(buf);
                fclose(f);
                return NULL;
            }
            cap = cap * 2 > max_bytes ? max_bytes : cap * 2;
            char *grown = lv_wipe_realloc(buf, cap + 1);
            if (!grown)
                lv_wipe_free(buf);
            buf = grown;
        }
    }
    if (!buf) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        fclose(f);
        return NULL;
    }
    if (ferror(f)) {
        lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL, "read error: %s", strerror(errno));
        lv_wipe_free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[len] = '\0';
    *len_out = len;
    return buf;
}
