/*
 * csv_table.c: libcsv callbacks that collect fields into rows and check the header.
 */
#include "csv_table.h"

#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    csv_table *table;
    const char *const *columns;
    size_t n_cols;
    char **pending; /* fields of the row being read */
    size_t n_pending;
    int line_no; /* current physical row number (1-based), header included */
    bool header_seen;
    bool failed;
    lv_error *err;
} reader;

static void free_fields(char **fields, size_t n)
{
    if (!fields)
        return;
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
    free(fields);
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    if (r->failed)
        return;
    if (r->n_pending >= r->n_cols + 1) { /* one extra to detect too many columns */
        r->n_pending++;
        return;
    }
    if (!r->pending && !(r->pending = calloc(r->n_cols + 1, sizeof *r->pending))) {
        r->failed = true;
        lv_error_set(r->err, LV_HTTP_INTERNAL, r->line_no, "", "out of memory");
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        r->failed = true;
        lv_error_set(r->err, LV_HTTP_INTERNAL, r->line_no, "", "out of memory");
        return;
    }
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    if (memchr(copy, '\0', len)) {
        free(copy);
        r->failed = true;
        lv_error_set(r->err, LV_9206_ENCODING_INVALID, r->line_no, "",
                     "line %d: NUL byte in a field", r->line_no);
        return;
    }
    r->pending[r->n_pending++] = copy;
}

static bool check_header(reader *r)
{
    for (size_t i = 0; i < r->n_cols; i++) {
        const char *got = i < r->n_pending ? r->pending[i] : "";
        if (strcmp(got, r->columns[i]) != 0) {
            lv_error_set(r->err, LV_9208_CSV_SYNTAX, 1, r->columns[i],
                         "line 1: column %zu must be '%s', found '%s'", i + 1, r->columns[i], got);
            return false;
        }
    }
    if (r->n_pending != r->n_cols) {
        lv_error_set(r->err, LV_9208_CSV_SYNTAX, 1, "", "line 1: expected %zu columns, found %zu",
                     r->n_cols, r->n_pending);
        return false;
    }
    return true;
}

static bool append_row(reader *r)
{
    csv_table *t = r->table;
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
        csv_table_row *grown = realloc(t->rows, cap * sizeof *grown);
        if (!grown)
            return false;
        t->rows = grown;
        t->cap_rows = cap;
    }
    t->rows[t->n_rows].line_no = r->line_no;
    t->rows[t->n_rows].fields = r->pending;
    t->n_rows++;
    r->pending = NULL;
    r->n_pending = 0;
    return true;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    reader *r = ctx;
    r->line_no++;
    if (r->failed)
        return;
    bool blank = r->n_pending == 1 && r->pending[0][0] == '\0';
    if (!r->header_seen) {
        r->header_seen = true;
        r->failed = !check_header(r);
    } else if (!blank && r->n_pending != r->n_cols) {
        lv_error_set(r->err, LV_9208_CSV_SYNTAX, r->line_no, "",
                     "line %d: expected %zu fields, found %zu", r->line_no, r->n_cols,
                     r->n_pending);
        r->failed = true;
    } else if (!blank) {
        if (!append_row(r)) {
            lv_error_set(r->err, LV_HTTP_INTERNAL, r->line_no, "", "out of memory");
            r->failed = true;
        }
        return;
    }
    free_fields(r->pending, r->n_pending > r->n_cols + 1 ? r->n_cols + 1 : r->n_pending);
    r->pending = NULL;
    r->n_pending = 0;
}

csv_table *csv_table_parse(const char *data, size_t len, const char *const *columns, size_t n_cols,
                           lv_error *err)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    reader r = {.columns = columns, .n_cols = n_cols, .err = err};
    r.table = calloc(1, sizeof *r.table);
    struct csv_parser p;
    if (!r.table || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
        free(r.table);
        lv_error_set(err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        return NULL;
    }
    r.table->n_cols = n_cols;
    size_t done = csv_parse(&p, data, len, on_field, on_row, &r);
    if (!r.failed && (done != len || csv_fini(&p, on_field, on_row, &r) != 0)) {
        lv_error_set(err, LV_9208_CSV_SYNTAX, r.line_no + 1, "", "line %d: %s", r.line_no + 1,
                     csv_strerror(csv_error(&p)));
        r.failed = true;
    }
    csv_free(&p);
    if (!r.failed && !r.header_seen) {
        lv_error_set(err, LV_9211_EMPTY_SUBMISSION, 1, "", "the file is empty");
        r.failed = true;
    }
    free_fields(r.pending, r.n_pending > n_cols + 1 ? n_cols + 1 : r.n_pending);
    if (r.failed) {
        csv_table_free(r.table);
        return NULL;
    }
    return r.table;
}

void csv_table_free(csv_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free_fields(t->rows[i].fields, t->n_cols);
    free(t->rows);
    free(t);
}
