/*
 * import_file.h: `lvhcmon import FILE`: parse a declaration file in any of the three
 * formats and send every submission in it through ingest_submission(), the same path the
 * HTTP API takes. A file whose structure is wrong is rejected whole and nothing is stored.
 */
#ifndef LVHCMON_IMPORT_FILE_H
#define LVHCMON_IMPORT_FILE_H

#include <stdio.h>

#include "ingest.h"

typedef enum {
    IMPORT_FORMAT_AUTO = 0,
    IMPORT_FORMAT_AW319,
    IMPORT_FORMAT_CSV,
    IMPORT_FORMAT_JSON
} import_format;

/** @return the format named @a name ("aw319", "csv", "json"), or IMPORT_FORMAT_AUTO if none. */
import_format import_format_parse(const char *name);

typedef struct {
    const char *path;
    import_format format;     /* AUTO: from the file name's extension */
    const char *provider_agb; /* when set, every submission must be this provider's */
    size_t max_lines;         /* per submission */
    size_t max_bytes;
    bool json_output; /* print the answers as JSON instead of a summary */
} import_request;

/* Exit codes of `lvhcmon import`. */
enum {
    IMPORT_EXIT_OK = 0,         /* every submission stored or replayed */
    IMPORT_EXIT_REJECTED = 1,   /* the file was rejected whole; nothing stored */
    IMPORT_EXIT_PARTIAL = 4,    /* some submissions conflicted (409) or were rejected whole */
    IMPORT_EXIT_UNAVAILABLE = 5 /* database failure; what was not stored can be retried */
};

/**
 * Imports one file, printing a per-file summary (or JSON) on @a out and errors on stderr.
 * @param settings  channel is chosen here from the format; the rest is used as given
 * @return one of the IMPORT_EXIT_* codes
 */
int import_file(db_conn *conn, const refdata *ref, const ingest_settings *settings,
                const import_request *req, FILE *out);

#endif
