/*
 * import_file.h: the driver of `lvhcmon import FILE` (daemon/cli/cmd_import.c): parse a
 * declaration file in any of the three formats and send every submission in it through
 * ingest_submission(), the same path the HTTP API takes. A file whose structure is wrong is
 * rejected whole and nothing is stored.
 *
 * The outcome is one of the command line's exit codes (cli.h): CLI_EXIT_OK when every
 * submission was stored or replayed; CLI_EXIT_FAIL when the file was rejected whole, when
 * any submission in it was refused (a 409 conflict or a 422 rejection) or could not be
 * stored (database unavailable). The summary on standard output, or the answers with
 * --json, say which submissions were stored; running the same file again stores the rest
 * and replays the others.
 *
 * A file of many submissions is stored over several connections at once (`--jobs`): each
 * provider's submissions go to one of them, in the file's order, so that a credit meets
 * the line it names and the duplicate checks see what came before; different providers'
 * submissions never depend on one another (ingest.c locks and checks per provider).
 */
#ifndef LVHCMON_IMPORT_FILE_H
#define LVHCMON_IMPORT_FILE_H

#include <stdio.h>

#include "ingest/ingest.h"

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
    FILE *progress;   /* where the progress line goes when it is a terminal (stderr); NULL:
                       * none (import_progress.h) */
} import_request;

/** The most connections one import uses (`lvhcmon import --jobs`). */
#define IMPORT_MAX_JOBS 16

/**
 * Imports one file, printing a per-file summary (or JSON, in the file's order) on @a out
 * and errors on stderr.
 * @param conns     @a n_conns (at least 1) open connections, borrowed; at most one lane
 *                  runs on each
 * @param settings  channel is chosen here from the format; the rest is used as given
 * @return CLI_EXIT_OK or CLI_EXIT_FAIL (see above)
 */
int import_file(db_conn *const *conns, size_t n_conns, const refdata *ref,
                const ingest_settings *settings, const import_request *req, FILE *out);

#endif
