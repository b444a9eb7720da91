/*
 * alertmanager.h: sending alerts to a Prometheus Alertmanager (API v2).
 *
 * The engine posts its firing and freshly resolved alerts as one JSON array to
 * POST {alertmanager_url}/api/v2/alerts, in Alertmanager's "postable alert" shape:
 *   [{"labels": {...}, "annotations": {...}, "startsAt": "...", "endsAt": "...",
 *     "generatorURL": "http://host:port/api/v1/alerts/<fingerprint>"}]
 * endsAt is sent only for resolved alerts. A firing alert is sent without one, so
 * Alertmanager keeps it active for its resolve_timeout (5 minutes by default) after the last
 * time it heard of it; the engine resends firing alerts at least every evaluation interval,
 * which keeps them alive, and a daemon that stops sending lets them expire by themselves.
 *
 * The transport is libcurl, with a 5 s limit on connecting and on the whole request, no
 * redirects, and only http/https. Nothing here retries: the engine tries again at its next
 * evaluation. Any userinfo in the URL is used by libcurl and never logged.
 */
#ifndef LVHCMON_ALERTMANAGER_H
#define LVHCMON_ALERTMANAGER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/queries_alerts.h"
#include "error.h"

/** Limit on connecting and on the whole request, in seconds. */
#define ALERTMANAGER_TIMEOUT_S 5

/**
 * Initialises libcurl once for the process. Call before starting threads that push.
 * @return false when libcurl cannot be initialised
 */
bool alertmanager_global_init(void);

/**
 * Builds the postable alerts from alerts as queries_alerts.h reads them.
 * @param alerts the alerts (fingerprint, labels, annotations, startsAt, endsAt)
 * @param generator_base the prefix of generatorURL, such as "http://127.0.0.1:8080"; the
 *        alert's path /api/v1/alerts/<fingerprint> is appended
 * @return a new JSON array owned by the caller, or NULL when out of memory
 */
json_t *alertmanager_payload_new(const aq_alert_list *alerts, const char *generator_base);

/**
 * Posts @a payload to {base_url}/api/v2/alerts.
 * @param base_url Alertmanager's base URL, with or without a trailing slash
 * @param payload a postable alert array (alertmanager_payload_new())
 * @param err receives why the push failed (no URL, no credentials in it; may be NULL)
 * @return true when Alertmanager answered 2xx
 */
bool alertmanager_post(const char *base_url, const json_t *payload, lv_error *err);

#endif
