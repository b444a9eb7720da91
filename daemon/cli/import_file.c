/*
 * import_file.c: the file import driver of the command line (see import_file.h): parse the
 * file, deal its submissions out over the lanes (one connection each, a provider's
 * submissions all in one lane, in order) and tally what came of them.
 */
#include "cli/import_file.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "aw319.h"
#include "cli/cli.h"
#include "cli/import_progress.h"
#include "csv_decl.h"
#include "json_decl.h"
#include "money.h"
#include "privacy.h"
#include "provider_lanes.h"
#include "util/file_read.h"
#include "wipe.h"

import_format import_format_parse(const char *name)
{
    if (!name)
        return IMPORT_FORMAT_AUTO;
    if (strcmp(name, "aw319") == 0)
        return IMPORT_FORMAT_AW319;
    if (strcmp(name, "csv") == 0)
        return IMPORT_FORMAT_CSV;
    if (strcmp(name, "json") == 0)
        return IMPORT_FORMAT_JSON;
    return IMPORT_FORMAT_AUTO;
}

static import_format format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".csv") == 0)
        return IMPORT_FORMAT_CSV;
    if (dot && strcmp(dot, ".json") == 0)
        return IMPORT_FORMAT_JSON;
    return IMPORT_FORMAT_AW319;
}

static const char *channel_of(import_format f)
{
    return f == IMPORT_FORMAT_CSV ? "cli-csv" : f == IMPORT_FORMAT_JSON ? "cli-json" : "cli-aw319";
}

/* Parses the whole file into a batch of submissions (AW319 and JSON give one). */
static decl_batch *parse_batch(import_format f, const char *data, size_t len, size_t max_lines,
                               lv_error *err)
{
    if (f == IMPORT_FORMAT_CSV)
        return csv_decl_parse(data, len, max_lines, err);
    decl_submission *sub = f == IMPORT_FORMAT_JSON ? json_decl_parse(data, len, max_lines, err)
                                                   : aw319_parse(data, len, max_lines, err);
    if (!sub)
        return NULL;
    decl_batch *b = calloc(1, sizeof *b);
    decl_submission **one = calloc(1, sizeof *one);
    if (!b || !one) {
        free(b);
        free(one);
        decl_submission_free(sub);
        lv_error_set(err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        return NULL;
    }
    one[0] = sub;
    b->subs = one;
    b->n_subs = b->cap_subs = 1;
    return b;
}

typedef struct {
    int stored, replayed, conflicts, rejected_whole, failed;
    long accepted_lines, rejected_lines;
    int64_t amount_cents;
} import_tally;

static void tally_add(import_tally *t, const ingest_result *r)
{
    switch (r->outcome) {
    case INGEST_STORED:
    case INGEST_REPLAYED: {
        if (r->outcome == INGEST_STORED)
            t->stored++;
        else
            t->replayed++;
        t->accepted_lines += r->accepted;
        t->rejected_lines += r->rejected;
        if (!money_add(t->amount_cents, r->amount_cents, &t->amount_cents))
            t->failed++;
        break;
    }
    case INGEST_CONFLICT:
        t->conflicts++;
        break;
    case INGEST_REJECTED:
        t->rejected_whole++;
        break;
    default:
        t->failed++;
    }
}

static void print_error(const char *path, const json_t *body)
{
    const json_t *e = json_object_get(body, "error");
    fprintf(stderr, "lvhcmon: import: %s: %s%s%s: %s\n", path,
            json_string_value(json_object_get(e, "code")),
            json_object_get(e, "field") ? " field " : "",
            json_object_get(e, "field") ? json_string_value(json_object_get(e, "field")) : "",
            json_string_value(json_object_get(e, "message")));
}

/* One submission to prepare in a helper thread (ingest_prepare() only reads it). */
typedef struct {
    const ingest_settings *settings;
    const decl_submission *sub;
    ingest_prepared *out; /* NULL when preparing failed: ingest prepares it again itself */
} prepare_job;

static void *prepare_main(void *arg)
{
    prepare_job *job = arg;
    job->out = ingest_prepare(job->settings, job->sub);
    return NULL;
}

/* What every lane of one import shares. The lock guards the tally, the progress line,
 * the answers and standard error; the submissions are each touched by one lane only. */
typedef struct {
    const refdata *ref;
    const ingest_settings *settings;
    const import_request *req;
    decl_batch *batch;
    pthread_mutex_t lock;
    import_tally tally;
    import_progress progress;
    json_t **answers; /* by submission index, kept for --json only; NULL otherwise */
} import_shared;

/* One lane: a connection and the submissions it stores, in the file's order. */
typedef struct {
    import_shared *shared;
    db_conn *conn;
    size_t *subs; /* indexes into batch->subs; malloc'ed by plan_lanes() */
    size_t n_subs;
} import_lane;

/* Stores one lane's submissions one after another on its connection. */
static void lane_run(import_lane *lane)
{
    import_shared *sh = lane->shared;
    decl_submission **subs = sh->batch->subs;
    ingest_prepared *next = NULL;
    for (size_t k = 0; k < lane->n_subs; k++) {
        decl_submission *sub = subs[lane->subs[k]];
        /* While this submission is in the database, a second thread prepares the lane's
         * next (BSN hashes, canonical text and its hash: a third of the work on our side). */
        ingest_prepared *current = next;
        next = NULL;
        prepare_job job = {sh->settings, k + 1 < lane->n_subs ? subs[lane->subs[k + 1]] : NULL,
                           NULL};
        pthread_t helper;
        bool helping = job.sub && pthread_create(&helper, NULL, prepare_main, &job) == 0;
        ingest_result r =
            ingest_submission_prepared(lane->conn, sh->ref, sh->settings, sub, current);
        if (helping) {
            pthread_join(helper, NULL);
            next = job.out;
        }
        json_t *answer = NULL;
        if (sh->answers)
            answer = r.text ? json_loadb(r.text, r.text_len, 0, NULL) : json_incref(r.body);
        pthread_mutex_lock(&sh->lock);
        tally_add(&sh->tally, &r);
        import_progress_add(&sh->progress, sub->n_lines);
        if (r.body && r.http_status >= 400) {
            import_progress_end(&sh->progress); /* the error on a line of its own */
            print_error(sh->req->path, r.body);
        }
        if (sh->answers)
            sh->answers[lane->subs[k]] = answer;
        pthread_mutex_unlock(&sh->lock);
        ingest_result_clear(&r);
    }
    ingest_prepared_free(next);
}

static void *lane_main(void *arg)
{
    lane_run(arg);
    return NULL;
}

/* Deals the submissions out over @a n lanes (provider_lanes.h). @return false when out of
 * memory (the lanes' arrays are then freed). */
static bool plan_lanes(const decl_batch *batch, import_lane *lanes, size_t n)
{
    size_t count = batch->n_subs ? batch->n_subs : 1;
    const char **agbs = calloc(count, sizeof *agbs);
    size_t *lane_of = calloc(count, sizeof *lane_of);
    bool ok = agbs && lane_of;
    for (size_t i = 0; i < batch->n_subs && ok; i++)
        agbs[i] = batch->subs[i]->provider_agb;
    ok = ok && provider_lanes_plan(agbs, batch->n_subs, n, lane_of);
    for (size_t l = 0; l < n && ok; l++) {
        lanes[l].subs = calloc(count, sizeof *lanes[l].subs);
        lanes[l].n_subs = 0;
        ok = lanes[l].subs != NULL;
    }
    for (size_t i = 0; i < batch->n_subs && ok; i++) {
        import_lane *lane = &lanes[lane_of[i]];
        lane->subs[lane->n_subs++] = i;
    }
    free(agbs);
    free(lane_of);
    if (!ok)
        for (size_t l = 0; l < n; l++) {
            free(lanes[l].subs);
            lanes[l].subs = NULL;
        }
    return ok;
}

int import_file(db_conn *const *conns, size_t n_conns, const refdata *ref,
                const ingest_settings *settings, const import_request *req, FILE *out)
{
    db_conn *conn = conns[0]; /* a file rejected whole is recorded on the first */
    import_format f = req->format != IMPORT_FORMAT_AUTO ? req->format : format_from_path(req->path);
    ingest_settings s = *settings;
    s.channel = channel_of(f);
    char body_hmac[PRIVACY_HASH_HEX_LEN + 1] = "";
    size_t len;
    lv_error err = {0};
    char *data = file_read_all(req->path, req->max_bytes, &len, &err);
    if (!data) {
        lv_error_prefix(&err, "%s", req->path);
        cli_print_error("import", &err);
        return CLI_EXIT_FAIL;
    }
    privacy_body_hmac(s.hash_key, s.hash_key_len, data, len, body_hmac);
    s.body_hmac = body_hmac;

    decl_batch *batch = parse_batch(f, data, len, req->max_lines, &err);
    lv_wipe_free(data); /* the file held clear BSNs */
    if (!batch) {
        ingest_result r = ingest_reject_file(conn, &s, req->provider_agb, NULL, &err);
        if (req->json_output) {
            json_dumpf(r.body, out, JSON_INDENT(2));
            fputc('\n', out);
        }
        print_error(req->path, r.body);
        ingest_result_clear(&r);
        return CLI_EXIT_FAIL;
    }
    if (req->provider_agb) {
        for (size_t i = 0; i < batch->n_subs; i++) {
            if (strcmp(batch->subs[i]->provider_agb, req->provider_agb) != 0) {
                lv_error_set(&err, LV_9210_HEADER_MISMATCH, 0, "provider_agb",
                             "submission %s is for provider %s, not %s", batch->subs[i]->reference,
                             batch->subs[i]->provider_agb, req->provider_agb);
                ingest_result r = ingest_reject_file(conn, &s, req->provider_agb, NULL, &err);
                print_error(req->path, r.body);
                ingest_result_clear(&r);
                decl_batch_free(batch);
                return CLI_EXIT_FAIL;
            }
        }
    }

    size_t total_lines = 0;
    for (size_t i = 0; i < batch->n_subs; i++)
        total_lines += batch->subs[i]->n_lines;
    size_t n_lanes = n_conns < batch->n_subs ? n_conns : batch->n_subs;
    if (n_lanes == 0)
        n_lanes = 1;
    import_shared sh = {.ref = ref, .settings = &s, .req = req, .batch = batch};
    import_lane *lanes = calloc(n_lanes, sizeof *lanes);
    /* The answers are kept only to print them: a file of a million lines would otherwise
     * hold a million line objects until the end. */
    if (req->json_output)
        sh.answers = calloc(batch->n_subs ? batch->n_subs : 1, sizeof *sh.answers);
    if (!lanes || (req->json_output && !sh.answers) || !plan_lanes(batch, lanes, n_lanes)) {
        free(lanes);
        free(sh.answers);
        decl_batch_free(batch);
        lv_error_set(&err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        cli_print_error("import", &err);
        return CLI_EXIT_FAIL;
    }
    pthread_mutex_init(&sh.lock, NULL);
    import_progress_start(&sh.progress, req->progress, total_lines);
    /* Lane 0 runs here; the others on threads of their own, each on its own connection.
     * A lane whose thread cannot start runs here too, after lane 0. */
    pthread_t *threads = calloc(n_lanes, sizeof *threads);
    bool *started = calloc(n_lanes, sizeof *started);
    for (size_t l = 0; l < n_lanes; l++) {
        lanes[l].shared = &sh;
        lanes[l].conn = conns[l];
        if (l > 0 && threads && started)
            started[l] = pthread_create(&threads[l], NULL, lane_main, &lanes[l]) == 0;
    }
    lane_run(&lanes[0]);
    for (size_t l = 1; l < n_lanes; l++) {
        if (started && started[l])
            pthread_join(threads[l], NULL);
        else
            lane_run(&lanes[l]);
    }
    free(threads);
    free(started);
    for (size_t l = 0; l < n_lanes; l++)
        free(lanes[l].subs);
    free(lanes);
    pthread_mutex_destroy(&sh.lock);
    import_progress_end(&sh.progress);
    size_t n_subs = batch->n_subs;
    decl_batch_free(batch);
    const import_tally t = sh.tally;

    if (req->json_output) {
        json_t *doc;
        if (n_subs == 1) {
            doc = sh.answers[0] ? sh.answers[0] : json_null();
        } else {
            doc = json_array(); /* in the file's order, whichever lane stored them */
            for (size_t i = 0; i < n_subs; i++)
                if (sh.answers[i])
                    json_array_append_new(doc, sh.answers[i]);
        }
        json_dumpf(doc, out, JSON_INDENT(2));
        fputc('\n', out);
        json_decref(doc);
        free(sh.answers);
    } else {
        char amount[24];
        fprintf(out,
                "%s: %zu submission(s): %d stored, %d replayed, %d conflict(s), %d rejected "
                "whole, %d failed; lines accepted %ld, rejected %ld; amount EUR %s\n",
                req->path, n_subs, t.stored, t.replayed, t.conflicts, t.rejected_whole, t.failed,
                t.accepted_lines, t.rejected_lines, money_format(t.amount_cents, amount));
    }
    return t.failed || t.conflicts || t.rejected_whole ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
