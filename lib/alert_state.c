/*
 * alert_state.c: the alert state machine (see alert_state.h for the states, the
 * transitions and how the rules' hysteresis reaches them).
 */
#include "alert_state.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *alert_state_name(alert_state_kind s)
{
    switch (s) {
    case ALERT_STATE_PENDING:
        return "pending";
    case ALERT_STATE_FIRING:
        return "firing";
    case ALERT_STATE_RESOLVED:
        return "resolved";
    case ALERT_STATE_INACTIVE:
    default:
        return "inactive";
    }
}

void alert_state_set_free(alert_state_set *set)
{
    if (!set)
        return;
    free(set->items);
    free(set);
}

const alert_state *alert_state_set_find(const alert_state_set *set, const char *fingerprint)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i].alert.fingerprint, fingerprint) == 0)
            return &set->items[i];
    return NULL;
}

/* Sorting arrays of indices by fingerprint lets the step match N conditions against M
 * previous states in O((N + M) log M) instead of comparing every pair. */
typedef struct {
    const char *fp;
    size_t index;
} fp_ref;

static int cmp_fp_ref(const void *a, const void *b)
{
    const fp_ref *x = a, *y = b;
    int c = strcmp(x->fp, y->fp);
    if (c != 0)
        return c;
    return (x->index > y->index) - (x->index < y->index); /* first one wins on duplicates */
}

static const fp_ref *find_fp(const fp_ref *refs, size_t n, const char *fp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(refs[mid].fp, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && strcmp(refs[lo].fp, fp) == 0) ? &refs[lo] : NULL;
}

static bool is_active(alert_state_kind s)
{
    return s == ALERT_STATE_PENDING || s == ALERT_STATE_FIRING;
}

/* One condition against its previous state (or none). @return false when it yields no state
 * (it only holds inside the hysteresis band of an inactive alert). */
static bool step_one(const alert_condition *c, const alert_state *p, int64_t now, alert_state *s)
{
    const bool was_active = p && is_active(p->state);
    if (!was_active && !c->fires)
        return false;
    memset(s, 0, sizeof *s);
    s->alert = *c;
    s->ends_at = ALERT_TIME_NONE;
    s->active_since = was_active ? p->active_since : now;
    s->consecutive = !was_active ? 1 : p->consecutive < INT32_MAX ? p->consecutive + 1 : INT32_MAX;
    if (was_active && p->state == ALERT_STATE_FIRING) {
        s->state = ALERT_STATE_FIRING;
        s->starts_at = p->starts_at;
        s->transition = ALERT_TR_NONE;
    } else if (c->fires && s->consecutive > c->for_evaluations) {
        /* Promotion needs the firing condition now, not only the hysteresis band, so an
         * alert never starts firing at a value below its threshold. */
        s->state = ALERT_STATE_FIRING;
        s->starts_at = now;
        s->transition = ALERT_TR_FIRED;
    } else {
        s->state = ALERT_STATE_PENDING;
        s->starts_at = ALERT_TIME_NONE;
        s->transition = was_active ? ALERT_TR_NONE : ALERT_TR_PENDING;
    }
    return true;
}

alert_state_set *alert_states_step(const alert_state *prev, size_t n_prev,
                                   const alert_condition_set *conds, int64_t now)
{
    const size_t n_conds = conds ? conds->n : 0;
    alert_state_set *out = calloc(1, sizeof *out);
    fp_ref *prev_refs = calloc(n_prev ? n_prev : 1, sizeof *prev_refs);
    fp_ref *cond_refs = calloc(n_conds ? n_conds : 1, sizeof *cond_refs);
    bool *prev_kept = calloc(n_prev ? n_prev : 1, sizeof *prev_kept);
    bool *cond_dup = calloc(n_conds ? n_conds : 1, sizeof *cond_dup);
    /* Not zeroed: every item below out->n is written whole (step_one(), or a copy). An item
     * is 2 KB, and a national year has a thousand conditions and more: clearing them all
     * wrote megabytes per evaluation for nothing. */
    const size_t n_items = n_conds + n_prev ? n_conds + n_prev : 1;
    if (out && n_items <= SIZE_MAX / sizeof *out->items)
        out->items = malloc(n_items * sizeof *out->items);
    if (!out || !out->items || !prev_refs || !cond_refs || !prev_kept || !cond_dup) {
        alert_state_set_free(out);
        out = NULL;
        goto done;
    }

    for (size_t i = 0; i < n_prev; i++)
        prev_refs[i] = (fp_ref){prev[i].alert.fingerprint, i};
    qsort(prev_refs, n_prev, sizeof *prev_refs, cmp_fp_ref);
    /* The rules never repeat a fingerprint, but a caller-built set might: keep the first. */
    for (size_t i = 0; i < n_conds; i++)
        cond_refs[i] = (fp_ref){conds->items[i].fingerprint, i};
    qsort(cond_refs, n_conds, sizeof *cond_refs, cmp_fp_ref);
    for (size_t i = 1; i < n_conds; i++)
        if (strcmp(cond_refs[i].fp, cond_refs[i - 1].fp) == 0)
            cond_dup[cond_refs[i].index] = true;

    for (size_t i = 0; i < n_conds; i++) {
        if (cond_dup[i])
            continue;
        const alert_condition *c = &conds->items[i];
        const fp_ref *r = find_fp(prev_refs, n_prev, c->fingerprint);
        const alert_state *p = r ? &prev[r->index] : NULL;
        if (step_one(c, p, now, &out->items[out->n])) {
            out->n++;
            if (r)
                prev_kept[r->index] = true;
        }
    }
    /* Active alerts whose condition no longer holds end here. Only the first of duplicate
     * previous states is considered, matching the lookup above. */
    for (size_t i = 0; i < n_prev; i++) {
        const alert_state *p = &prev[i];
        const fp_ref *r = find_fp(prev_refs, n_prev, p->alert.fingerprint);
        if (prev_kept[i] || !is_active(p->state) || r->index != i)
            continue;
        alert_state *s = &out->items[out->n++];
        *s = *p;
        s->ends_at = now;
        s->consecutive = 0;
        if (p->state == ALERT_STATE_FIRING) {
            s->state = ALERT_STATE_RESOLVED;
            s->transition = ALERT_TR_RESOLVED;
        } else {
            s->state = ALERT_STATE_INACTIVE;
            s->transition = ALERT_TR_CANCELLED;
        }
    }

done:
    free(prev_refs);
    free(cond_refs);
    free(prev_kept);
    free(cond_dup);
    return out;
}
