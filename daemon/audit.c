/*
 * audit.c: the actors of the audit trail and the one function that writes it (audit.h).
 */
#include "audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "db/queries_audit.h"
#include "text.h"

const char *const AUDIT_ACTIONS[] = {
    AUDIT_SUBMIT,       AUDIT_LINES_READ,     AUDIT_ALERT_ACK,  AUDIT_TOKEN_ADD,
    AUDIT_TOKEN_REVOKE, AUDIT_REFERENCE_LOAD, AUDIT_AUDIT_READ, NULL};

void audit_actor_of_token(audit_actor *out, const auth_principal *p, const char *client,
                          const char *proxy)
{
    memset(out, 0, sizeof *out);
    snprintf(out->actor, sizeof out->actor, "token:%lld", (long long)p->token_id);
    snprintf(out->role, sizeof out->role, "%s", auth_role_name(p->role));
    snprintf(out->label, sizeof out->label, "%s", p->label);
    out->token_id = p->token_id;
    snprintf(out->client_address, sizeof out->client_address, "%s", client != NULL ? client : "");
    snprintf(out->proxy_address, sizeof out->proxy_address, "%s", proxy != NULL ? proxy : "");
}

void audit_actor_of_cli(audit_actor *out)
{
    memset(out, 0, sizeof *out);
    char user[64];
    const struct passwd *pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
        snprintf(user, sizeof user, "%s", pw->pw_name);
    else
        snprintf(user, sizeof user, "uid%u", (unsigned)geteuid());
    char host[64] = "";
    if (gethostname(host, sizeof host) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    /* Run through sudo, the user who asked is worth keeping too. */
    const char *sudo_user = getenv("SUDO_USER");
    snprintf(out->actor, sizeof out->actor, "cli:%s", user);
    snprintf(out->role, sizeof out->role, "cli");
    if (sudo_user != NULL && sudo_user[0] != '\0' && strcmp(sudo_user, user) != 0)
        snprintf(out->label, sizeof out->label, "%.40s@%.40s (sudo from %.30s)", user, host,
                 sudo_user);
    else
        snprintf(out->label, sizeof out->label, "%.40s@%.40s", user, host);
}

db_status audit_record(db_conn *db, const audit_actor *who, const audit_event *what)
{
    char *detail = what->detail != NULL ? json_dumps(what->detail, JSON_COMPACT) : NULL;
    if (what->detail != NULL && detail == NULL)
        return DB_FAILED; /* out of memory: nothing may be served unrecorded */
    auditq_entry e = {.actor = who->actor,
                      .actor_role = who->role,
                      .actor_label = who->label,
                      .token_id = who->token_id,
                      .action = what->action,
                      .object = what->object,
                      .provider_agb = what->provider_agb,
                      .outcome = what->outcome,
                      .client_address = who->client_address,
                      .proxy_address = who->proxy_address,
                      .detail_json = detail};
    db_status st = auditq_insert(db, &e);
    free(detail);
    return st;
}

bool audit_actor_key_valid(const char *key)
{
    if (strncmp(key, "token:", 6) == 0)
        return text_all_digits(key + 6, strlen(key + 6)) && strlen(key + 6) <= 18;
    if (strncmp(key, "cli:", 4) == 0)
        return key[4] != '\0' && strlen(key) < sizeof(((audit_actor *)0)->actor) &&
               !text_has_control(key, strlen(key));
    return false;
}

bool audit_action_valid(const char *action)
{
    for (const char *const *a = AUDIT_ACTIONS; *a != NULL; a++)
        if (strcmp(*a, action) == 0)
            return true;
    return false;
}

bool audit_filter_check(const char *from, const char *to, const char *actor, const char *action,
                        const char *const names[4], lv_error *err)
{
    lv_date d_from = LV_DATE_NONE, d_to = LV_DATE_NONE;
    if (from != NULL && (strlen(from) != 10 || !lv_date_parse_iso(from, &d_from))) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, names[0],
                     "%s must be a date YYYY-MM-DD, got '%.40s'", names[0], from);
        return false;
    }
    if (to != NULL && (strlen(to) != 10 || !lv_date_parse_iso(to, &d_to))) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, names[1],
                     "%s must be a date YYYY-MM-DD, got '%.40s'", names[1], to);
        return false;
    }
    if (from != NULL && to != NULL && d_to < d_from) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, names[1], "%s (%s) is before %s (%s)", names[1],
                     to, names[0], from);
        return false;
    }
    if (actor != NULL && !audit_actor_key_valid(actor)) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, names[2],
                     "%s must be token:ID or cli:USER, got '%.60s'", names[2], actor);
        return false;
    }
    if (action != NULL && !audit_action_valid(action)) {
        char known[256] = "";
        for (const char *const *a = AUDIT_ACTIONS; *a != NULL; a++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                     a == AUDIT_ACTIONS ? "" : ", ", *a);
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, names[3], "%s must be one of %s; got '%.40s'",
                     names[3], known, action);
        return false;
    }
    return true;
}

/* A text column as JSON: null when empty. */
static json_t *text_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

json_t *audit_rows_json_new(const auditq_page *page)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < page->n && rows != NULL; i++) {
        const auditq_row *r = &page->rows[i];
        json_t *row = json_pack(
            "{s:I, s:s, s:{s:s, s:s, s:s, s:o}, s:s, s:s, s:o, s:s, s:o, s:o, s:O}", "id",
            (json_int_t)r->id, "at", r->at, "actor", "key", r->actor, "role", r->actor_role,
            "label", r->actor_label, "token_id",
            r->no_token ? json_null() : json_integer((json_int_t)r->token_id), "action", r->action,
            "object", r->object, "provider_agb", text_or_null(r->provider_agb), "outcome",
            r->outcome, "client_address", text_or_null(r->client_address), "proxy_address",
            text_or_null(r->proxy_address), "detail", r->detail != NULL ? r->detail : json_null());
        if (row == NULL || json_array_append_new(rows, row) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}
