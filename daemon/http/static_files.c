/*
 * static_files.c: in-memory copy of the web/ folder. Loaded once, lazily; the set is small
 * (a handful of files), so a linear search is plenty. Reloading needs a restart, which is
 * what a deployment of new dashboard files implies anyway.
 */
#include "http/static_files.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util/file_read.h"

#define STATIC_MAX_FILES 64
#define STATIC_MAX_BYTES (4u * 1024 * 1024)

typedef struct {
    char *dir;
    static_file files[STATIC_MAX_FILES];
    size_t n;
} static_set;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static static_set *loaded; /* lives until exit */

const char *static_files_content_type(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } TYPES[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(dot, TYPES[i].ext) == 0)
            return TYPES[i].type;
    return "application/octet-stream";
}

static void etag_of(const char *body, size_t len, char out[24])
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a 64: content identity, not security */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)body[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

/* Only plain names: letters, digits, '-', '_', '.', not starting with '.'. */
static int plain_name(const char *name)
{
    if (name[0] == '\0' || name[0] == '.')
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
           strlen(name);
}

static static_set *load_dir(const char *dir)
{
    static_set *set = calloc(1, sizeof *set);
    if (!set || !(set->dir = strdup(dir))) {
        free(set);
        return NULL;
    }
    DIR *d = opendir(dir);
    if (!d) {
        log_warning("dashboard folder cannot be read", "{s:s}", "dir", dir);
        return set;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && set->n < STATIC_MAX_FILES) {
        if (!plain_name(e->d_name))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *body = file_read_all(path, STATIC_MAX_BYTES, &len, NULL);
        if (!body)
            continue; /* a folder or an unreadable file: not served */
        static_file *f = &set->files[set->n++];
        f->name = strdup(e->d_name);
        f->content_type = static_files_content_type(e->d_name);
        f->body = body;
        f->len = len;
        etag_of(body, len, f->etag);
    }
    closedir(d);
    log_info("dashboard files loaded", "{s:s, s:i}", "dir", dir, "files", (int)set->n);
    return set;
}

const static_file *static_files_find(const char *dir, const char *name)
{
    pthread_mutex_lock(&lock);
    if (!loaded || strcmp(loaded->dir, dir) != 0) {
        static_set *fresh = load_dir(dir);
        if (fresh)
            loaded = fresh; /* an older set stays allocated: earlier replies may use it */
    }
    static_set *set = loaded;
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; set && i < set->n; i++)
        if (set->files[i].name && strcmp(set->files[i].name, name) == 0)
            return &set->files[i];
    return NULL;
}
