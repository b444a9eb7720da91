/*
 * static_files.h: the dashboard's files (web/), read into memory once per directory and
 * served from there with their content type and a strong ETag. Only the files that are in
 * the folder when it is loaded exist; a path never reaches the file system, so nothing
 * outside web/ can be named ("..", encoded slashes and the like simply match no file).
 */
#ifndef LVHCMON_STATIC_FILES_H
#define LVHCMON_STATIC_FILES_H

#include <stddef.h>

typedef struct {
    const char *name;         /* "index.html" */
    const char *content_type; /* "text/html; charset=utf-8" */
    const char *body;
    size_t len;
    char etag[24];
} static_file;

/**
 * Finds @a name in the files of @a dir, loading the folder on first use (thread-safe).
 * @return the file, valid for the life of the process, or NULL when there is none
 */
const static_file *static_files_find(const char *dir, const char *name);

/** @return the content type for a file name by its extension. */
const char *static_files_content_type(const char *name);

#endif
