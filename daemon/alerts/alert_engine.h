/*
 * alert_engine.h: the daemon's alert engine. It evaluates the alert rules of
 * lib/alert_rules.h on every rebuilt budget snapshot, moves the alert states with
 * lib/alert_state.h, keeps them in the database (tables alert, alert_history of
 * sql/0002_alerts.sql), tells the other instances (NOTIFY lvhcmon_alerts) and pushes firing
 * and resolved alerts to Alertmanager.
 *
 * How it runs:
 *  - The snapshot store calls alert_engine_snapshot_hook() in its listener thread after every
 *    round, with the current year's snapshot. When the round changed the figures, the hook
 *    evaluates the rules (pure, microseconds) and hands the resulting conditions to the
 *    engine's own thread; it never waits for the database or the network, so neither
 *    ingest nor the snapshot store is ever held up by alerting. When evaluations come
 *    faster than the engine thread works, only the newest is kept: each evaluation is
 *    complete in itself, so a burst of commits costs one evaluation per engine cycle.
 *  - Every saved evaluation is announced on lvhcmon_alerts with the watermark of its data
 *    (db_watermark.h); a round that did not change the figures only moves that watermark
 *    on, announced without evaluating again. The snapshot stores of all instances hear it:
 *    a writer waiting to read its own write (snapshot_store_await()) waits for the alert
 *    states to include its commit, whichever instance leads.
 *  - The engine thread has its own database connection. On it, it holds the leader lock.
 *
 * Leadership: several daemons may share one database; exactly one of them steps the state
 * machine, writes alert states and pushes. The engine thread tries a session-level
 * pg_try_advisory_lock(AQ_LEADER_LOCK_KEY) on its dedicated connection; the instance that
 * gets it logs "alert leader" and keeps the lock for as long as that session lives. Every
 * other instance stays standby and tries again at each evaluation. When the leader dies, or
 * its connection drops, PostgreSQL ends the session and releases the lock, and a standby
 * takes over at its next evaluation (at most [alerts] evaluation_interval_s later). Because
 * every write is made on the very connection that holds the lock, a leader that lost its
 * session cannot write anything: split brain is impossible, not merely unlikely. A leader
 * whose connection was reset (new backend process) knows it may have lost the lock and
 * asks again.
 *
 * Thresholds come from [budget] thresholds and forecast_threshold, read from the current
 * configuration at every evaluation (a SIGHUP reload applies). The hysteresis is not a
 * setting: ALERT_ENGINE_HYSTERESIS_BP (2 % of the cap), see lib/alert_rules.h.
 *
 * Alertmanager ([alerts] alertmanager_url, optional): after an evaluation that changed
 * something, and otherwise at most every evaluation_interval_s, the leader posts every
 * firing alert (so Alertmanager does not let them expire) and every resolved alert whose
 * resolution it has not delivered yet (once, with endsAt). A failure is logged and retried
 * at the next evaluation; alert.pushed_state/pushed_at record what was delivered. A
 * resolution is only sent for an alert whose firing was delivered.
 *
 * Ownership: alert_engine_new() returns an engine the caller owns; alert_engine_free()
 * stops its thread and closes its connection (releasing the lock). The engine reads the
 * snapshots of other years from app->snapshots, and the store calls the engine's hook: so
 * at the end, alert_engine_stop() first, then free the store, then alert_engine_free().
 */
#ifndef LVHCMON_ALERT_ENGINE_H
#define LVHCMON_ALERT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "alert_rules.h"
#include "app.h"
#include "snapshot/snapshot.h"

/** Hysteresis of the budget rules, in basis points of the cap: a threshold alert fires at
 *  the threshold and resolves only below threshold - 2 %. Not a setting (see the header). */
#define ALERT_ENGINE_HYSTERESIS_BP 200

typedef struct alert_engine alert_engine;

/**
 * The rule settings of @a cfg: thresholds and forecast_threshold from [budget], the
 * hysteresis ALERT_ENGINE_HYSTERESIS_BP, the other tunings at their defaults. The engine and
 * every judgement of past figures (as_of, the report) use it, so they agree.
 */
void alert_engine_rule_config(const lv_config *cfg, alert_config *ac);

/**
 * Creates the engine and starts its thread. Nothing connects until the first evaluation.
 * @param conninfo the database (copied); NULL or "": libpq defaults
 * @param app the daemon's shared state, for the current configuration (not taken; must
 *        outlive the engine)
 * @param err receives why the engine could not start (may be NULL)
 * @return a new engine owned by the caller, or NULL
 */
alert_engine *alert_engine_new(const char *conninfo, lv_app *app, lv_error *err);

/**
 * Stops and joins the engine thread: no evaluation runs after it, so no snapshot is asked
 * for. The hook may still be called (it only queues). Accepts NULL; a second call does
 * nothing.
 */
void alert_engine_stop(alert_engine *engine);

/** Stops the thread (alert_engine_stop()), closes the connection and releases @a engine.
 *  Accepts NULL. */
void alert_engine_free(alert_engine *engine);

/** Other years whose changed figures one evaluation takes up at most (more wait for the
 *  periodic pass over every capped year). */
#define ALERT_ENGINE_OTHER_MAX 16

/**
 * The snapshot hook (snapshot_hook of snapshot.h): evaluates the rules on @a snap when its
 * figures changed and queues the result, or only the newer watermark, for the engine
 * thread, with the other years whose figures changed (evaluated with it when they have a
 * national cap). Register it with snapshot_store_set_hook(store,
 * alert_engine_snapshot_hook, engine).
 * @param ctx the engine
 * @param snap the current year's snapshot; read during the call only
 * @param changed whether its figures changed since the previous call
 * @param as_of the commits its figures (and those of every cached year) include
 * @param other_years the other cached years whose figures the round changed
 * @param n_other how many
 */
void alert_engine_snapshot_hook(void *ctx, const snapshot *snap, bool changed,
                                const db_watermark *as_of, const int *other_years, size_t n_other);

#endif
