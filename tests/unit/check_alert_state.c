/*
 * check_alert_state.c: Check suite for lib/alert_state.c, the alert state machine. The
 * conditions are built by hand (labels, fingerprint, `fires`), so each case says exactly what
 * the rules answered: present and firing, present inside the hysteresis band, or gone.
 * Sequences of evaluations: fire -> resolve without flapping around a threshold thanks to the
 * hysteresis (and the flap without it), pending with `for`, a pending alert cancelled,
 * re-firing after resolve; matching by fingerprint whatever the order; duplicates; every
 * active alert ending when its condition is gone; the times of each episode.
 * Which spend gives which answer is check_alert_rules.c's (the band cases).
 */
#include <stdio.h>
#include <string.h>

#include "alert_state.h"
#include "unit_runner.h"

#define T0 INT64_C(1780000000)
#define HOUR 3600

/* What the rules said about the alert in one evaluation. */
typedef enum {
    GONE = 0, /* not in the set: below the hysteresis band */
    HOLDS,    /* in the set, not firing: inside the band */
    FIRES,    /* in the set and firing */
    END       /* no more evaluations in this sequence */
} answer;

/* A BudgetThresholdReached condition for @p threshold ("0.5"), as the rules would build it. */
static alert_condition condition(const char *threshold, bool fires, int32_t for_evaluations)
{
    alert_condition c;
    memset(&c, 0, sizeof c);
    c.rule = ALERT_RULE_THRESHOLD;
    const char *names[] = {"alertname", "severity", "threshold", "year"};
    const char *values[] = {"BudgetThresholdReached", "warning", threshold, "2026"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(c.labels[i].name, sizeof c.labels[i].name, "%s", names[i]);
        snprintf(c.labels[i].value, sizeof c.labels[i].value, "%s", values[i]);
    }
    c.n_labels = 4;
    snprintf(c.summary, sizeof c.summary, "C&A spend 2026 reached %s of the cap", threshold);
    c.fires = fires;
    c.for_evaluations = for_evaluations;
    alert_fingerprint(c.labels, c.n_labels, c.fingerprint);
    return c;
}

/* --- sequences of evaluations ------------------------------------------------------------ */

typedef struct {
    answer rules;           /* what the rules said */
    alert_state_kind state; /* of the alert after this evaluation */
    alert_transition tr;
    bool in_output; /* the alert appears in the returned states */
} step_case;

#define STEP_END                                                                                   \
    {                                                                                              \
        END, 0, 0, false                                                                           \
    }

typedef struct {
    const char *name;
    int32_t for_evaluations;
    step_case steps[8];
} sequence_case;

static const sequence_case sequences[] = {
    /* Spend 0.49, 0.50, 0.495, 0.51, 0.47, 0.49, 0.50 of the cap against a threshold of 0.5
     * with 2 % hysteresis: one firing from 0.50 to 0.51 without a flap at 0.495, resolved at
     * 0.47; then a new episode. */
    {"hysteresis",
     0,
     {{HOLDS, ALERT_STATE_INACTIVE, ALERT_TR_NONE, false},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      {HOLDS, ALERT_STATE_FIRING, ALERT_TR_NONE, true},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_NONE, true},
      {GONE, ALERT_STATE_RESOLVED, ALERT_TR_RESOLVED, true},
      {HOLDS, ALERT_STATE_INACTIVE, ALERT_TR_NONE, false},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      STEP_END}},
    /* The same spends without hysteresis: 0.49 and 0.495 are gone, and it flaps at 0.495.
     * The reason for the band. */
    {"no hysteresis",
     0,
     {{GONE, ALERT_STATE_INACTIVE, ALERT_TR_NONE, false},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      {GONE, ALERT_STATE_RESOLVED, ALERT_TR_RESOLVED, true},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      {GONE, ALERT_STATE_RESOLVED, ALERT_TR_RESOLVED, true},
      STEP_END}},
    /* for = 2: pending on the first evaluation, firing on the third in a row. */
    {"for 2",
     2,
     {{FIRES, ALERT_STATE_PENDING, ALERT_TR_PENDING, true},
      {FIRES, ALERT_STATE_PENDING, ALERT_TR_NONE, true},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_NONE, true},
      STEP_END}},
    /* for = 1: pending survives a dip into the band but is only promoted while it fires. */
    {"for 1, dip in band",
     1,
     {{FIRES, ALERT_STATE_PENDING, ALERT_TR_PENDING, true},
      {HOLDS, ALERT_STATE_PENDING, ALERT_TR_NONE, true},
      {FIRES, ALERT_STATE_FIRING, ALERT_TR_FIRED, true},
      STEP_END}},
    /* A pending alert whose condition goes away is cancelled, never resolved. */
    {"pending cancelled",
     1,
     {{FIRES, ALERT_STATE_PENDING, ALERT_TR_PENDING, true},
      {GONE, ALERT_STATE_INACTIVE, ALERT_TR_CANCELLED, true},
      {GONE, ALERT_STATE_INACTIVE, ALERT_TR_NONE, false},
      STEP_END}},
};

/* Runs one sequence through the step, carrying the states from step to step. */
START_TEST(test_sequences)
{
    const sequence_case *sq = &sequences[_i];
    alert_state_set *states = NULL;
    int64_t fired_at = ALERT_TIME_NONE, pending_since = ALERT_TIME_NONE;
    for (int i = 0; sq->steps[i].rules != END; i++) {
        const step_case *c = &sq->steps[i];
        const int64_t now = T0 + i * HOUR;
        alert_condition cond = condition("0.5", c->rules == FIRES, sq->for_evaluations);
        alert_condition_set set = {&cond, c->rules == GONE ? 0 : 1, 1};
        alert_state_set *next =
            alert_states_step(states ? states->items : NULL, states ? states->n : 0, &set, now);
        ck_assert_ptr_nonnull(next);
        alert_state_set_free(states);
        states = next;

        const alert_state *s = states->n ? &states->items[0] : NULL;
        ck_assert_msg((s != NULL) == c->in_output, "%s step %d: in output %d", sq->name, i,
                      s != NULL);
        ck_assert_int_le(states->n, 1);
        if (!s)
            continue;
        ck_assert_str_eq(s->alert.fingerprint, cond.fingerprint);
        ck_assert_msg(s->state == c->state, "%s step %d: state %s, want %s", sq->name, i,
                      alert_state_name(s->state), alert_state_name(c->state));
        ck_assert_msg(s->transition == c->tr, "%s step %d: transition %d, want %d", sq->name, i,
                      s->transition, c->tr);
        ck_assert_str_eq(alert_condition_label(&s->alert, "threshold"), "0.5");
        /* Times: startsAt is the firing time of this episode, endsAt only once resolved. */
        if (s->transition == ALERT_TR_PENDING)
            pending_since = now;
        if (s->transition == ALERT_TR_FIRED) {
            fired_at = now;
            if (sq->for_evaluations == 0)
                pending_since = now;
        }
        if (s->state == ALERT_STATE_FIRING || s->state == ALERT_STATE_RESOLVED) {
            ck_assert_int_eq(s->starts_at, fired_at);
            ck_assert_int_eq(s->active_since, pending_since);
        }
        if (s->state == ALERT_STATE_PENDING)
            ck_assert_int_eq(s->starts_at, ALERT_TIME_NONE);
        if (s->state == ALERT_STATE_RESOLVED || s->state == ALERT_STATE_INACTIVE)
            ck_assert_int_eq(s->ends_at, now);
        else
            ck_assert_int_eq(s->ends_at, ALERT_TIME_NONE);
    }
    alert_state_set_free(states);
}
END_TEST

/* --- matching and bookkeeping ------------------------------------------------------------ */

/* Previous states keep their labels through a resolve, are matched by fingerprint whatever
 * their order, and a previous state of another alert does not disturb this one. */
START_TEST(test_step_by_fingerprint)
{
    alert_condition both_items[2] = {condition("0.5", true, 0), condition("0.75", true, 0)};
    alert_condition_set both = {both_items, 2, 2};
    alert_state_set *s1 = alert_states_step(NULL, 0, &both, T0);
    ck_assert_int_eq(s1->n, 2);

    /* Reverse the previous states; now only 0.5 holds: 0.75 resolves, 0.5 keeps firing. */
    alert_state prev[2] = {s1->items[1], s1->items[0]};
    alert_condition one_item = condition("0.5", true, 0);
    alert_condition_set one = {&one_item, 1, 1};
    alert_state_set *s2 = alert_states_step(prev, 2, &one, T0 + HOUR);
    ck_assert_int_eq(s2->n, 2);
    const alert_state *half = alert_state_set_find(s2, both_items[0].fingerprint);
    const alert_state *three = alert_state_set_find(s2, both_items[1].fingerprint);
    ck_assert_ptr_nonnull(half);
    ck_assert_ptr_nonnull(three);
    ck_assert_int_eq(half->state, ALERT_STATE_FIRING);
    ck_assert_int_eq(half->transition, ALERT_TR_NONE);
    ck_assert_int_eq(half->starts_at, T0);
    ck_assert_int_eq(half->consecutive, 2);
    ck_assert_int_eq(three->state, ALERT_STATE_RESOLVED);
    ck_assert_int_eq(three->transition, ALERT_TR_RESOLVED);
    ck_assert_int_eq(three->starts_at, T0);
    ck_assert_int_eq(three->ends_at, T0 + HOUR);
    ck_assert_str_eq(alert_condition_label(&three->alert, "threshold"), "0.75");
    ck_assert_ptr_nonnull(strstr(three->alert.summary, "0.75"));
    ck_assert_ptr_null(alert_state_set_find(s2, "0000000000000000"));

    /* A resolved state fed back in and not firing: it drops out of the output. */
    alert_state_set *s3 = alert_states_step(s2->items, s2->n, &one, T0 + 2 * HOUR);
    ck_assert_int_eq(s3->n, 1);
    ck_assert_ptr_null(alert_state_set_find(s3, both_items[1].fingerprint));
    ck_assert_int_eq(s3->items[0].consecutive, 3);

    alert_state_set_free(s1);
    alert_state_set_free(s2);
    alert_state_set_free(s3);
}
END_TEST

/* A condition set with the same fingerprint twice yields one state; no conditions, none. */
START_TEST(test_step_duplicate_conditions)
{
    alert_condition dup[2] = {condition("0.5", true, 0), condition("0.5", true, 0)};
    alert_condition_set twice = {dup, 2, 2};
    alert_state_set *s = alert_states_step(NULL, 0, &twice, T0);
    ck_assert_int_eq(s->n, 1);
    alert_state_set_free(s);
    alert_state_set *empty = alert_states_step(NULL, 0, NULL, T0);
    ck_assert_int_eq(empty->n, 0);
    alert_state_set_free(empty);
}
END_TEST

/* With no conditions at all, every firing alert resolves and every pending one is
 * cancelled, each once, even when the previous states list one twice. */
START_TEST(test_step_all_gone)
{
    alert_condition items[2] = {condition("0.5", true, 0), condition("0.9", true, 3)};
    alert_condition_set set = {items, 2, 2};
    alert_state_set *s1 = alert_states_step(NULL, 0, &set, T0);
    ck_assert_int_eq(s1->n, 2);
    ck_assert_int_eq(alert_state_set_find(s1, items[0].fingerprint)->state, ALERT_STATE_FIRING);
    ck_assert_int_eq(alert_state_set_find(s1, items[1].fingerprint)->state, ALERT_STATE_PENDING);

    alert_state prev[3] = {s1->items[0], s1->items[1], s1->items[0]};
    alert_state_set *s2 = alert_states_step(prev, 3, NULL, T0 + HOUR);
    ck_assert_int_eq(s2->n, 2);
    const alert_state *resolved = alert_state_set_find(s2, items[0].fingerprint);
    const alert_state *cancelled = alert_state_set_find(s2, items[1].fingerprint);
    ck_assert_int_eq(resolved->state, ALERT_STATE_RESOLVED);
    ck_assert_int_eq(resolved->transition, ALERT_TR_RESOLVED);
    ck_assert_int_eq(resolved->ends_at, T0 + HOUR);
    ck_assert_int_eq(resolved->consecutive, 0);
    ck_assert_int_eq(cancelled->state, ALERT_STATE_INACTIVE);
    ck_assert_int_eq(cancelled->transition, ALERT_TR_CANCELLED);
    ck_assert_int_eq(cancelled->starts_at, ALERT_TIME_NONE);
    alert_state_set_free(s1);
    alert_state_set_free(s2);
}
END_TEST

/* The run-length counter stops at INT32_MAX instead of wrapping. */
START_TEST(test_step_consecutive_saturates)
{
    alert_condition c = condition("0.5", true, 0);
    alert_condition_set set = {&c, 1, 1};
    alert_state prev;
    memset(&prev, 0, sizeof prev);
    prev.alert = c;
    prev.state = ALERT_STATE_FIRING;
    prev.active_since = T0;
    prev.starts_at = T0;
    prev.ends_at = ALERT_TIME_NONE;
    prev.consecutive = INT32_MAX;
    alert_state_set *s = alert_states_step(&prev, 1, &set, T0 + HOUR);
    ck_assert_int_eq(s->n, 1);
    ck_assert_int_eq(s->items[0].consecutive, INT32_MAX);
    ck_assert_int_eq(s->items[0].state, ALERT_STATE_FIRING);
    ck_assert_int_eq(s->items[0].starts_at, T0);
    alert_state_set_free(s);
}
END_TEST

typedef struct {
    alert_state_kind kind;
    const char *want;
} name_case;

static const name_case name_cases[] = {
    {ALERT_STATE_INACTIVE, "inactive"}, {ALERT_STATE_PENDING, "pending"},
    {ALERT_STATE_FIRING, "firing"},     {ALERT_STATE_RESOLVED, "resolved"},
    {(alert_state_kind)42, "inactive"},
};

START_TEST(test_state_names)
{
    ck_assert_str_eq(alert_state_name(name_cases[_i].kind), name_cases[_i].want);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("alert_state");
    TCase *tc = tcase_create("sequences");
    tcase_add_loop_test(tc, test_sequences, 0, N_CASES(sequences));
    suite_add_tcase(s, tc);

    tc = tcase_create("matching");
    tcase_add_test(tc, test_step_by_fingerprint);
    tcase_add_test(tc, test_step_duplicate_conditions);
    tcase_add_test(tc, test_step_all_gone);
    tcase_add_test(tc, test_step_consecutive_saturates);
    tcase_add_loop_test(tc, test_state_names, 0, N_CASES(name_cases));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
