/*
 * handlers.h: every HTTP handler, one per resource and verb, each defined in
 * daemon/http/<resource>_<verb>.c and listed in the routing table of routes.c.
 */
#ifndef LVHCMON_HTTP_HANDLERS_H
#define LVHCMON_HTTP_HANDLERS_H

#include "http/request.h"

/** GET /healthz: the process is alive. Always 200 {"status":"ok"}. */
enum MHD_Result http_handler_healthz_get(http_request *req);

/** GET /readyz: 200 when the database answers and its schema is current, else 503. */
enum MHD_Result http_handler_readyz_get(http_request *req);

/** GET /api/v1/whoami: the role and provider of the presented token. */
enum MHD_Result http_handler_whoami_get(http_request *req);

/** POST /api/v1/declarations: a JSON submission; 201 new, 200 replay, 409, 422. */
enum MHD_Result http_handler_declarations_post(http_request *req);

/** POST /api/v1/declarations/aw319: an AW319 file as the body. */
enum MHD_Result http_handler_declarations_aw319_post(http_request *req);

/** GET /api/v1/declarations/{id}: one submission with its lines, paged. */
enum MHD_Result http_handler_declaration_get(http_request *req);

/** GET /api/v1/providers/{agb}/declarations: a provider's lines, filtered and paged. */
enum MHD_Result http_handler_provider_declarations_get(http_request *req);
enum MHD_Result http_handler_provider_submissions_get(http_request *req);
enum MHD_Result http_handler_provider_declarations_csv_get(http_request *req);
enum MHD_Result http_handler_declarations_csv_post(http_request *req);

/** GET /metrics: Prometheus text format (budget gauges, ingest counters, latency). */
enum MHD_Result http_handler_metrics_get(http_request *req);

/** GET /api/v1/status: the budget status of a year, from its snapshot (ETag, 304). */
enum MHD_Result http_handler_status_get(http_request *req);

/** GET /api/v1/groups/{code}: one target group's spend, months and providers. */
enum MHD_Result http_handler_group_get(http_request *req);

/** GET /api/v1/providers: every provider's spend, last month declared, missing months. */
enum MHD_Result http_handler_providers_get(http_request *req);

/** GET /api/v1/providers/{agb}: one provider's figures (controller, or that provider). */
enum MHD_Result http_handler_provider_get(http_request *req);

/** GET /api/v1/report.xlsx: the month-end workbook of a year as of a day (controller). */
enum MHD_Result http_handler_report_get(http_request *req);

/** GET /api/v1/alerts: alerts by state (and year), Alertmanager-shaped (ETag, 304). */
enum MHD_Result http_handler_alerts_get(http_request *req);

/** GET /api/v1/alerts/{fingerprint}: one alert with its history and acknowledgements. */
enum MHD_Result http_handler_alert_get(http_request *req);

/** POST /api/v1/alerts/{fingerprint}/ack: a controller acknowledges an active alert. */
enum MHD_Result http_handler_alert_ack_post(http_request *req);

/** GET /api/v1/audit: the audit trail, filtered and paged (controller). */
enum MHD_Result http_handler_audit_get(http_request *req);

/** GET / and GET /{file}: the dashboard's files from [server] web_dir. */
enum MHD_Result http_handler_static_get(http_request *req);

#endif
