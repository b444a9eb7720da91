/*
 * alertmanager.c: postable alerts and the HTTP POST to Alertmanager (see alertmanager.h).
 */
#include "alerts/alertmanager.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool alertmanager_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

json_t *alertmanager_payload_new(const aq_alert_list *alerts, const char *generator_base)
{
    json_t *out = json_array();
    for (size_t i = 0; out != NULL && i < alerts->n; i++) {
        const aq_alert *a = &alerts->items[i];
        size_t url_len = strlen(generator_base) + strlen(a->fingerprint) + sizeof "/api/v1/alerts/";
        char *url = malloc(url_len);
        if (url == NULL) {
            json_decref(out);
            out = NULL;
            break;
        }
        snprintf(url, url_len, "%s/api/v1/alerts/%s", generator_base, a->fingerprint);
        json_t *p = json_pack(
            "{s:O, s:O, s:o, s:s}", "labels", a->labels, "annotations", a->annotations, "startsAt",
            a->starts_at != NULL ? json_string(a->starts_at) : json_null(), "generatorURL", url);
        free(url);
        /* Only a resolved alert carries endsAt: a firing one is kept alive by resending. */
        if (p && a->ends_at != NULL)
            json_object_set_new(p, "endsAt", json_string(a->ends_at));
        if (!p || json_array_append_new(out, p) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

/* Keeps the start of Alertmanager's answer for the error message. */
typedef struct {
    char text[256];
    size_t len;
} answer_buf;

static size_t on_answer(char *data, size_t size, size_t nmemb, void *userdata)
{
    answer_buf *b = userdata;
    size_t n = size * nmemb;
    size_t room = sizeof b->text - 1 - b->len;
    size_t take = n < room ? n : room;
    memcpy(b->text + b->len, data, take);
    b->len += take;
    b->text[b->len] = '\0';
    return n;
}

bool alertmanager_post(const char *base_url, const json_t *payload, lv_error *err)
{
    char *body = json_dumps(payload, JSON_COMPACT);
    size_t base_len = strlen(base_url);
    while (base_len > 0 && base_url[base_len - 1] == '/')
        base_len--;
    size_t url_len = base_len + sizeof "/api/v2/alerts";
    char *url = malloc(url_len);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    bool ok = false;
    if (!body || !url || !curl || !headers) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        goto done;
    }
    snprintf(url, url_len, "%.*s/api/v2/alerts", (int)base_len, base_url);

    answer_buf answer = {.len = 0};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)ALERTMANAGER_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)ALERTMANAGER_TIMEOUT_S);
    /* Threads: no signals for timeouts (the daemon has worker threads and blocks signals). */
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "lvhcmond/" LVHCMON_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);

    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        lv_error_set(err, LV_HTTP_UNAVAILABLE, 0, NULL, "%s",
                     curl_err[0] ? curl_err : curl_easy_strerror(rc));
    } else if (status < 200 || status > 299) {
        answer.text[strcspn(answer.text, "\r\n")] = '\0';
        lv_error_set(err, LV_HTTP_UNAVAILABLE, 0, NULL, "HTTP %ld: %s", status, answer.text);
    } else {
        ok = true;
    }

done:
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    free(url);
    free(body);
    return ok;
}
