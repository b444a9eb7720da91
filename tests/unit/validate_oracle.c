/*
 * validate_oracle.c: the scanning answerer of validate_oracle.h. Each question walks every
 * line and prior line; the live set is one flag per slot. The one thing taken over from
 * the index on purpose is which live debit a 0587 names (the one made live last under the
 * same client, prestatie and month, when it overlaps): that only words the reason, and
 * copying the rule lets the tests compare reasons too. Whether there is an overlap is
 * decided here from the dates alone, without the index's months.
 */
#include "validate_oracle.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { LIVE = 1u, REVERSED = 2u };

typedef struct {
    const validate_ctx *ctx;
    const decl_submission *sub;
    size_t n;
    unsigned char *flags; /* per slot */
    uint64_t *made_live;  /* per slot: when it became live (0: never) */
    uint64_t clock;
} oracle;

/* The fields of a slot the questions need. */
typedef struct {
    const char *ref;
    const char *client;
    const char *prestatie;
    lv_date from, to;
    char dc;
    bool accepted; /* a prior line's flag; true for lines of the submission */
} slot_view;

static slot_view view(const oracle *o, size_t slot)
{
    if (slot < o->n) {
        const decl_line *l = &o->sub->lines[slot];
        return (slot_view){l->line_ref,  validate_client_key(o->ctx, o->sub, slot),
                           l->prestatie, l->date_from,
                           l->date_to,   l->debit_credit,
                           true};
    }
    const prior_line *p = &o->ctx->prior[slot - o->n];
    return (slot_view){p->line_ref, p->client_hash,  p->prestatie, p->date_from,
                       p->date_to,  p->debit_credit, p->accepted};
}

/* A debit with a client, a prestatie and a period: one that can be live. */
static bool can_be_live(const slot_view *v)
{
    return v->dc == 'D' && v->client[0] && v->prestatie[0] && v->from != LV_DATE_NONE &&
           v->to != LV_DATE_NONE && v->to >= v->from;
}

static void make_live(oracle *o, size_t slot)
{
    slot_view v = view(o, slot);
    if ((o->flags[slot] & (LIVE | REVERSED)) || !can_be_live(&v))
        return;
    o->flags[slot] |= LIVE;
    o->made_live[slot] = ++o->clock;
}

static void *oracle_open(const validate_ctx *ctx, const decl_submission *sub)
{
    oracle *o = calloc(1, sizeof *o);
    size_t slots = sub->n_lines + ctx->n_prior;
    if (!o)
        return NULL;
    o->ctx = ctx;
    o->sub = sub;
    o->n = sub->n_lines;
    o->flags = calloc(slots ? slots : 1, 1);
    o->made_live = calloc(slots ? slots : 1, sizeof *o->made_live);
    if (!o->flags || !o->made_live) {
        free(o->flags);
        free(o->made_live);
        free(o);
        return NULL;
    }
    for (size_t k = 0; k < ctx->n_prior; k++)
        if (ctx->prior[k].accepted && !ctx->prior[k].credited)
            make_live(o, o->n + k);
    return o;
}

static void oracle_close(void *state)
{
    oracle *o = state;
    if (!o)
        return;
    free(o->flags);
    free(o->made_live);
    free(o);
}

static bool oracle_ref_taken(const void *state, size_t line)
{
    const oracle *o = state;
    const char *ref = o->sub->lines[line].line_ref;
    for (size_t j = 0; j < line; j++)
        if (strcmp(o->sub->lines[j].line_ref, ref) == 0)
            return true;
    for (size_t k = 0; k < o->ctx->n_prior; k++)
        if (o->ctx->prior[k].accepted && strcmp(o->ctx->prior[k].line_ref, ref) == 0)
            return true;
    return false;
}

static size_t oracle_ref_holder(const void *state, const char *ref)
{
    const oracle *o = state;
    for (size_t j = 0; j < o->n; j++)
        if (strcmp(o->sub->lines[j].line_ref, ref) == 0) {
            if (!oracle_ref_taken(o, j))
                return j;
            break;
        }
    for (size_t k = 0; k < o->ctx->n_prior; k++) {
        const prior_line *p = &o->ctx->prior[k];
        if (p->accepted && p->debit_credit == 'D' && strcmp(p->line_ref, ref) == 0)
            return o->n + k;
    }
    return VALIDATE_NO_SLOT;
}

static bool oracle_reversed(const void *state, size_t slot)
{
    const oracle *o = state;
    return o->flags[slot] & REVERSED;
}

static void oracle_reverse(void *state, size_t slot)
{
    oracle *o = state;
    o->flags[slot] = (unsigned char)((o->flags[slot] & ~LIVE) | REVERSED);
}

static void oracle_add_live(void *state, size_t line)
{
    make_live(state, line);
}

static bool same_key(const slot_view *a, const slot_view *b)
{
    return strcmp(a->client, b->client) == 0 && strcmp(a->prestatie, b->prestatie) == 0;
}

static bool oracle_overlaps_live(const void *state, size_t line, size_t *witness)
{
    const oracle *o = state;
    slot_view me = view(o, line);
    size_t slots = o->n + o->ctx->n_prior, last = VALIDATE_NO_SLOT;
    bool overlap = false;
    for (size_t s = 0; s < slots; s++) {
        if (s == line || o->made_live[s] == 0)
            continue;
        slot_view other = view(o, s);
        if (!same_key(&me, &other))
            continue;
        bool live = o->flags[s] & LIVE;
        overlap = overlap || (live && other.from <= me.to && me.from <= other.to);
        /* the witness: the debit made live last under the key, if still live and overlapping */
        if (lv_date_month_index(other.from) == lv_date_month_index(me.from) &&
            (last == VALIDATE_NO_SLOT || o->made_live[s] > o->made_live[last]))
            last = s;
    }
    *witness = VALIDATE_NO_SLOT;
    if (overlap && last != VALIDATE_NO_SLOT && (o->flags[last] & LIVE)) {
        slot_view w = view(o, last);
        if (w.from <= me.to && me.from <= w.to)
            *witness = last;
    }
    return overlap;
}

const validate_lookup validate_oracle_lookup = {
    .open = oracle_open,
    .close = oracle_close,
    .ref_taken = oracle_ref_taken,
    .ref_holder = oracle_ref_holder,
    .reversed = oracle_reversed,
    .reverse = oracle_reverse,
    .add_live = oracle_add_live,
    .overlaps_live = oracle_overlaps_live,
};

bool validate_submission_oracle(const validate_ctx *ctx, const decl_submission *sub,
                                line_result *results)
{
    return validate_submission_with(&validate_oracle_lookup, ctx, sub, results);
}
