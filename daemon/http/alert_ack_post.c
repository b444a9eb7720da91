/*
 * alert_ack_post.c: POST /api/v1/alerts/{fingerprint}/ack: a controller acknowledges an
 * active (pending or firing) alert. Body, optional, application/json:
 *   {"by": "J. Jansen", "comment": "known: the December batch of provider X"}
 * `by` (1..100 characters, no control characters) defaults to the token's label; `comment`
 * (0..500 characters) defaults to "". Unknown fields, wrong types and lengths are a 400 that
 * names the field. The acknowledgement is recorded (alert_ack: who, which token, when, the
 * comment), set on the alert (acknowledged_by/acknowledged_at) and announced with NOTIFY
 * lvhcmon_alerts; the answer is the updated alert.
 *
 * The body is read as JSON whatever its Content-Type says (`curl -d` sends a form type);
 * the Bearer token, which a browser cannot add to a cross-site form, is what guards it.
 *
 * Semantics: an acknowledgement says "someone has seen this episode". It stays on the alert
 * while the alert is active and remains visible after it resolves; when the same alert
 * becomes active again (a new episode) the engine clears it. Acknowledging again replaces
 * the name and time on the alert and adds one more alert_ack row. A resolved alert cannot
 * be acknowledged (409): there is nothing left to act on. Unknown fingerprint: 404.
 */
#include <stdio.h>
#include <string.h>

#include "db/queries_alerts.h"
#include "http/alerts_common.h"
#include "http/handlers.h"
#include "http/reply.h"

/* One string field of the body: its name, its limits in characters and where it goes. */
typedef struct {
    const char *name;
    size_t min_chars;
    size_t max_chars;
    bool allow_newlines; /* tab, CR and LF; other control characters are always refused */
    const char **out;    /* left as is when the field is absent or null */
} ack_field;

/* @return the number of code points of valid UTF-8 @a s (jansson only hands out valid). */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static bool has_control(const char *s, size_t len, bool allow_newlines)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (allow_newlines && (c == '\t' || c == '\n' || c == '\r'))
            continue;
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

/* Decodes @a body against @a fields. @return true, or false once answered 400. */
static bool decode(http_request *req, const json_t *body, const ack_field *fields, size_t n)
{
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)body, key, value)
    {
        const ack_field *f = NULL;
        for (size_t i = 0; i < n && !f; i++)
            if (strcmp(fields[i].name, key) == 0)
                f = &fields[i];
        if (!f) {
            http_reply_error(req, LV_HTTP_BAD_REQUEST, key, "unknown field %s", key);
            return false;
        }
        if (json_is_null(value))
            continue;
        if (!json_is_string(value)) {
            http_reply_error(req, LV_HTTP_BAD_REQUEST, f->name, "%s must be a string", f->name);
            return false;
        }
        const char *s = json_string_value(value);
        const size_t len = json_string_length(value);
        const size_t chars = utf8_chars(s, len);
        if (strlen(s) != len || has_control(s, len, f->allow_newlines)) {
            http_reply_error(req, LV_HTTP_BAD_REQUEST, f->name,
                             "%s must not contain control characters", f->name);
            return false;
        }
        if (chars < f->min_chars || chars > f->max_chars ||
            (f->min_chars > 0 && strspn(s, " \t\r\n") == len)) {
            http_reply_error(req, LV_HTTP_BAD_REQUEST, f->name,
                             "%s must be %zu to %zu characters long%s", f->name, f->min_chars,
                             f->max_chars, f->min_chars > 0 ? ", not blank" : "");
            return false;
        }
        *f->out = s;
    }
    return true;
}

enum MHD_Result http_handler_alert_ack_post(http_request *req)
{
    const char *fp;
    if (!http_alert_fingerprint(req, &fp))
        return MHD_YES;

    /* The name defaults to the token's label, or its id when it has none. */
    char fallback[64];
    if (req->principal.label[0] != '\0')
        snprintf(fallback, sizeof fallback, "%s", req->principal.label);
    else
        snprintf(fallback, sizeof fallback, "token %lld", (long long)req->principal.token_id);
    const char *by = fallback;
    const char *comment = "";

    json_t *body = NULL;
    if (req->body != NULL && req->body_len > 0) {
        json_error_t jerr;
        body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
        if (!body)
            return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body", "invalid JSON: %s",
                                    jerr.text);
        if (!json_is_object(body)) {
            json_decref(body);
            return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body",
                                    "the body must be a JSON object");
        }
        const ack_field fields[] = {
            {"by", 1, 100, false, &by},
            {"comment", 0, 500, true, &comment},
        };
        if (!decode(req, body, fields, sizeof fields / sizeof fields[0])) {
            json_decref(body);
            return MHD_YES;
        }
    }

    db_conn *db = http_request_db(req);
    if (!db) {
        json_decref(body);
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database unavailable");
    }
    aq_status st = aq_acknowledge(db, fp, by, req->principal.token_id, comment);
    json_decref(body); /* by and comment may point into it */
    if (st == AQ_NOT_FOUND)
        return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "no such alert");
    if (st == AQ_CONFLICT)
        return http_reply_error(req, LV_HTTP_CONFLICT, NULL,
                                "the alert is resolved; only an active alert can be "
                                "acknowledged");
    json_t *alert = NULL;
    if (st != AQ_OK || aq_get(db, fp, &alert) != AQ_OK)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed");
    return http_reply_alerts_doc(req, alert, false);
}
