/*
 * alert_state.h: the life of one alert over time, the second of the two steps of alerting
 * (alert_rules.h is the first). Pure: it reads the states after the previous evaluation,
 * this evaluation's conditions and the time the caller gives it, and returns the new states
 * with the transition each one made. The daemon stores the states and their history
 * (daemon/alerts/alert_engine.c) and pushes firing/resolved alerts to Alertmanager.
 *
 * The states, one alert = one fingerprint:
 *   inactive --fires--> pending   (or straight to firing when its `for` is 0)
 *   pending  --held `for` further evaluations, and fires now--> firing
 *   pending  --no longer holds--> inactive (cancelled: it never fired, nothing to send)
 *   firing   --no longer holds--> resolved (endsAt = now)
 *   resolved --fires--> a new episode, as from inactive
 * `for` counts evaluations, not seconds: for = N means pending on the first evaluation and
 * firing on the (N+1)-th in a row, which is Prometheus's `for` at one evaluation per
 * interval. Default 0 for every rule: a budget threshold crossed is news at once, and the
 * data only changes when declarations arrive, so a repeated evaluation adds no confidence.
 *
 * Hysteresis is decided by the rules and reaches the state machine as two truths per
 * condition: a condition in the set *holds* (an active alert stays active), and its `fires`
 * flag says whether it may *start* (or be promoted from pending to firing). So an alert never
 * starts firing at a value below its threshold, and a firing alert resolves only once its
 * condition drops out of the set, below the hysteresis band.
 *
 * Times are int64 unix seconds; ALERT_TIME_NONE stands for null.
 * Ownership: alert_states_step() returns a set the caller owns, released with
 * alert_state_set_free(). States are fixed-size structs, copied by value.
 */
#ifndef LVHCMON_ALERT_STATE_H
#define LVHCMON_ALERT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "alert_rules.h"

#define ALERT_TIME_NONE INT64_MIN

typedef enum {
    ALERT_STATE_INACTIVE = 0,
    ALERT_STATE_PENDING,
    ALERT_STATE_FIRING,
    ALERT_STATE_RESOLVED
} alert_state_kind;

/** What happened to an alert in one evaluation: the daemon records every transition and
 *  pushes FIRED and RESOLVED to Alertmanager. */
typedef enum {
    ALERT_TR_NONE = 0, /* unchanged */
    ALERT_TR_PENDING,  /* inactive/resolved -> pending */
    ALERT_TR_FIRED,    /* inactive/resolved/pending -> firing */
    ALERT_TR_RESOLVED, /* firing -> resolved */
    ALERT_TR_CANCELLED /* pending -> inactive, never fired */
} alert_transition;

/** The state of one alert (one fingerprint). */
typedef struct {
    alert_condition alert; /* labels and annotations of the last evaluation that held it */
    alert_state_kind state;
    alert_transition transition; /* of the evaluation that produced this state */
    int64_t active_since;        /* first evaluation of this episode (pending or firing) */
    int64_t starts_at;           /* when it fired; ALERT_TIME_NONE while pending */
    int64_t ends_at;             /* when it resolved; ALERT_TIME_NONE while active */
    int32_t consecutive;         /* evaluations in a row the condition has held */
} alert_state;

typedef struct {
    alert_state *items;
    size_t n;
} alert_state_set;

/** @return the name of @a s as the API spells it: "inactive|pending|firing|resolved". */
const char *alert_state_name(alert_state_kind s);

/**
 * Advances the state machine by one evaluation at time @a now.
 * @param prev    the states after the previous evaluation (any order; only fingerprint,
 *                state, times and consecutive are required, the labels and annotations are
 *                copied into resolved/cancelled results as given). May be NULL if @a n_prev is 0.
 * @param n_prev  the number of states in @a prev
 * @param conds   this evaluation's conditions (alert_rules_evaluate()); NULL for none
 * @param now     the time of this evaluation, unix seconds
 * @return the new states, owned by the caller (alert_state_set_free()): every pending and
 *         firing alert, then the alerts that resolved or were cancelled in this evaluation,
 *         each with its transition. States that were inactive or resolved before and stay so
 *         are not returned. NULL when out of memory.
 */
alert_state_set *alert_states_step(const alert_state *prev, size_t n_prev,
                                   const alert_condition_set *conds, int64_t now);

/** Releases @a set. Accepts NULL. */
void alert_state_set_free(alert_state_set *set);

/** @return the state with @a fingerprint in @a set, or NULL. */
const alert_state *alert_state_set_find(const alert_state_set *set, const char *fingerprint);

#endif
