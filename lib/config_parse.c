/*
 * config_parse.c: the table of configuration keys and the parser over inih.
 *
 * Design. Every key is one row of KEYS: section, name, value type, where it lives in
 * lv_config, its limits and flags (needs a restart, may be empty, is a secret). Parsing,
 * duplicate detection, the restart diff of a SIGHUP reload and the copying of restart-only
 * values all walk that one table, so adding a key is adding a row (and a field).
 *
 * Line numbers. inih's handler is not told the line it is on, and ini_parse_string() only
 * returns the line of the first error, which need not be the line our handler complained
 * about (an earlier syntax error wins). So we feed inih through ini_parse_stream() with our
 * own reader, which counts lines: the handler then knows its exact line, and the reader can
 * also refuse over-long lines (inih would silently split them) and unknown [section] headers
 * (inih never reports a section without keys). Whatever inih reports itself is a syntax
 * error; the earliest error, by line, is the one reported.
 *
 * The parser is pure: it reads only the text it is given and allocates only the result.
 */
#include "config_parse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
    KT_LISTEN, /* lv_listen */
    KT_UINT,   /* unsigned, within [min, max] */
    KT_SIZE,   /* size_t bytes, with optional KiB/MiB/GiB suffix, within [min, max] */
    KT_STRING, /* char *, at least min characters */
    KT_URL,    /* char *, http:// or https:// */
    KT_BOOL,   /* bool */
    KT_RATIO,  /* int basis points in (0, 20000] */
    KT_RATIOS, /* lv_ratio_list, strictly increasing */
    KT_LEVEL,  /* lv_log_level */
    KT_ADDRS   /* lv_address_list: comma-separated numeric IP addresses */
} key_type;

enum {
    KF_RESTART = 1u << 0,  /* a change only takes effect when the daemon restarts */
    KF_EMPTY_OK = 1u << 1, /* an empty value means "not set" */
    KF_SECRET = 1u << 2    /* never echo the value in a message */
};

typedef struct {
    const char *section;
    const char *name;
    const char *full; /* "[section] name", for messages */
    key_type type;
    size_t offset;
    unsigned long long min;
    unsigned long long max;
    unsigned flags;
} key_spec;

#define KIB 1024ull
#define MIB (1024ull * 1024ull)
#define GIB (1024ull * 1024ull * 1024ull)
#define RATIO_MAX_BP 20000

static const char *const SECTIONS[] = {"server",       "database", "privacy", "budget",
                                       "declarations", "alerts",   "metrics", "log"};

#define KEY(s, n, t, field, lo, hi, fl)                                                            \
    {                                                                                              \
        s, n, "[" s "] " n, t, offsetof(lv_config, field), lo, hi, fl                              \
    }
static const key_spec KEYS[] = {
    KEY("server", "listen", KT_LISTEN, listen, 0, 0, KF_RESTART),
    KEY("server", "threads", KT_UINT, threads, 1, 256, KF_RESTART),
    KEY("server", "connection_limit", KT_UINT, connection_limit, 1, 100000, KF_RESTART),
    KEY("server", "per_ip_connection_limit", KT_UINT, per_ip_connection_limit, 1, 100000,
        KF_RESTART),
    KEY("server", "connection_timeout_s", KT_UINT, connection_timeout_s, 1, 3600, KF_RESTART),
    KEY("server", "request_timeout_s", KT_UINT, request_timeout_s, 1, 86400, KF_RESTART),
    KEY("server", "max_body_bytes", KT_SIZE, max_body_bytes, KIB, GIB, 0),
    KEY("server", "max_lines_per_submission", KT_UINT, max_lines_per_submission, 1, 10000000, 0),
    KEY("server", "read_your_writes_timeout_ms", KT_UINT, read_your_writes_timeout_ms, 0, 60000, 0),
    KEY("server", "web_dir", KT_STRING, web_dir, 1, 0, KF_RESTART),
    KEY("server", "tls_cert_file", KT_STRING, tls_cert_file, 1, 0, KF_RESTART | KF_EMPTY_OK),
    KEY("server", "tls_key_file", KT_STRING, tls_key_file, 1, 0, KF_RESTART | KF_EMPTY_OK),
    KEY("server", "trusted_proxies", KT_ADDRS, trusted_proxies, 0, 0, KF_EMPTY_OK),
    KEY("server", "public_url", KT_URL, public_url, 0, 0, KF_EMPTY_OK),
    KEY("database", "conninfo", KT_STRING, conninfo, 0, 0, KF_RESTART | KF_EMPTY_OK | KF_SECRET),
    KEY("database", "migrate_conninfo", KT_STRING, migrate_conninfo, 0, 0,
        KF_RESTART | KF_EMPTY_OK | KF_SECRET),
    KEY("database", "statement_timeout_ms", KT_UINT, statement_timeout_ms, 0, 3600000, KF_RESTART),
    KEY("database", "pool_size", KT_UINT, pool_size, 1, 1000, KF_RESTART | KF_EMPTY_OK),
    KEY("database", "pool_wait_ms", KT_UINT, pool_wait_ms, 1, 600000, KF_RESTART),
    KEY("database", "sql_dir", KT_STRING, sql_dir, 1, 0, KF_RESTART),
    KEY("privacy", "client_hash_key", KT_STRING, client_hash_key, CONFIG_CLIENT_KEY_MIN, 0,
        KF_RESTART | KF_SECRET),
    KEY("privacy", "client_hash_key_file", KT_STRING, client_hash_key_file, 1, 0, KF_RESTART),
    KEY("budget", "thresholds", KT_RATIOS, thresholds, 0, 0, 0),
    KEY("budget", "forecast_threshold", KT_RATIO, forecast_threshold_bp, 0, 0, 0),
    KEY("budget", "default_year", KT_UINT, default_year, 2000, 2100, KF_EMPTY_OK),
    KEY("declarations", "deadline_working_days", KT_UINT, deadline_working_days, 1, 100, 0),
    KEY("declarations", "max_travel_cents_per_line", KT_UINT, max_travel_cents_per_line, 1,
        1000000000, 0),
    KEY("alerts", "alertmanager_url", KT_URL, alertmanager_url, 0, 0, KF_EMPTY_OK),
    KEY("alerts", "evaluation_interval_s", KT_UINT, evaluation_interval_s, 1, 86400, 0),
    KEY("metrics", "require_token", KT_BOOL, require_token, 0, 0, 0),
    KEY("log", "level", KT_LEVEL, log_level, 0, 0, 0),
};
#undef KEY
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

static const char *const LEVEL_NAMES[] = {"debug", "info", "warning", "error"};

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                   */

/* A configuration error: code config_invalid, the line and the key as line_no and field,
 * and a message that says both itself ("line 12: [server] listen: expected ..."), because
 * a configuration error is read on a terminal, where the message is all there is. */
static void error_set(lv_error *err, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_set(lv_error *err, int line, const char *key, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    char where[32] = "";
    if (line > 0)
        snprintf(where, sizeof where, "line %d: ", line);
    if (key != NULL && key[0] != '\0')
        lv_error_set(err, LV_CONFIG_INVALID, line, key, "%s%s: %s", where, key, detail);
    else
        lv_error_set(err, LV_CONFIG_INVALID, line, key, "%s%s", where, detail);
}

/* ---------------------------------------------------------------------------------------- */
/* Value parsers: each returns false and writes why into @why on a bad value.               */

static bool parse_digits(const char *s, unsigned long long *out)
{
    if (*s == '\0')
        return false;
    unsigned long long v = 0;
    for (; *s != '\0'; s++) {
        if (!isdigit((unsigned char)*s))
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (~0ull - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_uint(const key_spec *k, const char *v, unsigned *out, char *why, size_t n)
{
    unsigned long long x;
    if (!parse_digits(v, &x) || x < k->min || x > k->max) {
        snprintf(why, n, "expected a whole number from %llu to %llu, got '%.60s'", k->min, k->max,
                 v);
        return false;
    }
    *out = (unsigned)x;
    return true;
}

static bool parse_size(const key_spec *k, const char *v, size_t *out, char *why, size_t n)
{
    char digits[24];
    size_t i = 0;
    while (isdigit((unsigned char)v[i]) && i < sizeof digits - 1) {
        digits[i] = v[i];
        i++;
    }
    digits[i] = '\0';
    const char *suffix = v + i;
    while (*suffix == ' ' || *suffix == '\t')
        suffix++;
    unsigned long long unit = 0;
    if (*suffix == '\0')
        unit = 1;
    else if (strcasecmp(suffix, "k") == 0 || strcasecmp(suffix, "kib") == 0)
        unit = KIB;
    else if (strcasecmp(suffix, "m") == 0 || strcasecmp(suffix, "mib") == 0)
        unit = MIB;
    else if (strcasecmp(suffix, "g") == 0 || strcasecmp(suffix, "gib") == 0)
        unit = GIB;
    unsigned long long x;
    if (unit == 0 || !parse_digits(digits, &x) || x > k->max / unit || x * unit < k->min) {
        snprintf(why, n,
                 "expected a size in bytes (optionally with KiB, MiB or GiB) from %llu KiB "
                 "to %llu GiB, got '%.60s'",
                 k->min / KIB, k->max / GIB, v);
        return false;
    }
    *out = (size_t)(x * unit);
    return true;
}

static bool parse_listen(const char *v, lv_listen *out, char *why, size_t n)
{
    const char *colon = strrchr(v, ':');
    char host[sizeof out->host];
    unsigned long long port = 0;
    bool ok = colon != NULL && (size_t)(colon - v) < sizeof host && colon > v &&
              parse_digits(colon + 1, &port) && port <= 65535;
    if (ok) {
        memcpy(host, v, (size_t)(colon - v));
        host[colon - v] = '\0';
        unsigned char addr[16];
        if (host[0] == '[') {
            size_t len = strlen(host);
            ok = len > 2 && host[len - 1] == ']';
            if (ok) {
                memmove(host, host + 1, len - 2);
                host[len - 2] = '\0';
                ok = inet_pton(AF_INET6, host, addr) == 1;
            }
        } else if (strcmp(host, "localhost") == 0) {
            snprintf(host, sizeof host, "127.0.0.1");
        } else {
            ok = inet_pton(AF_INET, host, addr) == 1;
        }
    }
    if (!ok) {
        snprintf(why, n,
                 "expected host:port (an IPv4 address, [IPv6] or localhost, and a port "
                 "0-65535), got '%.60s'",
                 v);
        return false;
    }
    memcpy(out->host, host, sizeof host);
    out->port = (uint16_t)port;
    return true;
}

bool config_parse_ratio_bp(const char *text, int *bp)
{
    const char *s = text;
    long whole = 0;
    int digits = 0;
    for (; isdigit((unsigned char)*s); s++, digits++) {
        if (digits >= 4)
            return false;
        whole = whole * 10 + (*s - '0');
    }
    if (digits == 0)
        return false;
    long frac = 0;
    int scale = 1000; /* the first decimal is worth 1000 bp */
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return false;
        for (; isdigit((unsigned char)*s); s++) {
            if (scale == 0)
                return false; /* more than four decimals cannot be basis points */
            frac += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (*s != '\0')
        return false;
    *bp = (int)(whole * 10000 + frac);
    return true;
}

static bool parse_ratio(const char *v, int *out, char *why, size_t n)
{
    int bp;
    if (!config_parse_ratio_bp(v, &bp) || bp <= 0 || bp > RATIO_MAX_BP) {
        snprintf(why, n,
                 "expected a ratio above 0 and at most 2 with at most 4 decimals (such as "
                 "0.75), got '%.60s'",
                 v);
        return false;
    }
    *out = bp;
    return true;
}

static bool parse_ratios(const char *v, lv_ratio_list *out, char *why, size_t n)
{
    lv_ratio_list list = {.n = 0};
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        char item[32];
        if (len == 0 || len >= sizeof item) {
            snprintf(why, n,
                     "expected a comma-separated list of ratios (such as 0.5, 0.75), "
                     "got '%.60s'",
                     v);
            return false;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (list.n == CONFIG_MAX_THRESHOLDS) {
            snprintf(why, n, "at most %d thresholds, got more", CONFIG_MAX_THRESHOLDS);
            return false;
        }
        if (!parse_ratio(item, &list.bp[list.n], why, n))
            return false;
        if (list.n > 0 && list.bp[list.n] <= list.bp[list.n - 1]) {
            int prev = list.bp[list.n - 1];
            snprintf(why, n, "values must be strictly increasing, got '%s' after %d.%04d", item,
                     prev / 10000, prev % 10000);
            return false;
        }
        list.n++;
        if (end == NULL)
            break;
        p = end + 1;
    }
    *out = list;
    return true;
}

static bool parse_addresses(const char *v, lv_address_list *out, char *why, size_t n)
{
    lv_address_list list = {.n = 0};
    const char *p = v;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ",");
        size_t item_len = len;
        while (item_len > 0 && (p[item_len - 1] == ' ' || p[item_len - 1] == '\t'))
            item_len--;
        char item[64];
        if (item_len == 0 || item_len >= sizeof item) {
            snprintf(why, n, "expected numeric IP addresses separated by commas, got '%.60s'", v);
            return false;
        }
        memcpy(item, p, item_len);
        item[item_len] = '\0';
        if (list.n == CONFIG_MAX_PROXIES) {
            snprintf(why, n, "at most %d addresses", CONFIG_MAX_PROXIES);
            return false;
        }
        lv_address *a = &list.a[list.n];
        if (inet_pton(AF_INET, item, a->bytes) == 1) {
            a->family = AF_INET;
        } else if (inet_pton(AF_INET6, item, a->bytes) == 1) {
            a->family = AF_INET6;
        } else {
            snprintf(why, n, "'%s' is not a numeric IPv4 or IPv6 address", item);
            return false;
        }
        list.n++;
        p += len;
        if (*p == ',')
            p++;
    }
    *out = list;
    return true;
}

bool config_address_listed(const lv_address_list *list, const char *text)
{
    lv_address want = {0};
    if (inet_pton(AF_INET, text, want.bytes) == 1)
        want.family = AF_INET;
    else if (inet_pton(AF_INET6, text, want.bytes) == 1)
        want.family = AF_INET6;
    else
        return false;
    for (size_t i = 0; i < list->n; i++)
        if (list->a[i].family == want.family &&
            memcmp(list->a[i].bytes, want.bytes, sizeof want.bytes) == 0)
            return true;
    return false;
}

const char *config_migrate_conninfo(const lv_config *cfg)
{
    return cfg->migrate_conninfo != NULL ? cfg->migrate_conninfo : cfg->conninfo;
}

static bool parse_bool(const char *v, bool *out, char *why, size_t n)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    snprintf(why, n, "expected true or false, got '%.60s'", v);
    return false;
}

static bool parse_level(const char *v, lv_log_level *out, char *why, size_t n)
{
    for (int i = 0; i <= LV_LOG_ERROR; i++) {
        if (strcasecmp(v, LEVEL_NAMES[i]) == 0) {
            *out = (lv_log_level)i;
            return true;
        }
    }
    if (strcasecmp(v, "warn") == 0) {
        *out = LV_LOG_WARNING;
        return true;
    }
    snprintf(why, n, "expected debug, info, warning or error, got '%.60s'", v);
    return false;
}

static bool valid_url(const char *v)
{
    size_t skip;
    if (strncmp(v, "http://", 7) == 0)
        skip = 7;
    else if (strncmp(v, "https://", 8) == 0)
        skip = 8;
    else
        return false;
    if (v[skip] == '\0' || v[skip] == '/')
        return false;
    for (const char *p = v; *p != '\0'; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static bool set_string(char **slot, const char *v)
{
    char *copy = NULL;
    if (v != NULL && (copy = strdup(v)) == NULL)
        return false;
    if (*slot != NULL)
        explicit_bzero(*slot, strlen(*slot));
    free(*slot);
    *slot = copy;
    return true;
}

/* Stores @v into the field of @k. @return false with @why set on a bad value. */
static bool key_set(lv_config *cfg, const key_spec *k, const char *v, char *why, size_t n)
{
    void *field = (char *)cfg + k->offset;
    bool empty = v[0] == '\0';
    if (empty && !(k->flags & KF_EMPTY_OK)) {
        snprintf(why, n, "a value is required");
        return false;
    }
    switch (k->type) {
    case KT_LISTEN:
        return parse_listen(v, field, why, n);
    case KT_UINT:
        if (empty) {
            *(unsigned *)field = 0;
            return true;
        }
        return parse_uint(k, v, field, why, n);
    case KT_SIZE:
        return parse_size(k, v, field, why, n);
    case KT_STRING:
        if (!empty && strlen(v) < k->min) {
            if (k->flags & KF_SECRET)
                snprintf(why, n, "must be at least %llu characters (got %zu)", k->min, strlen(v));
            else
                snprintf(why, n, "must be at least %llu characters, got '%.60s'", k->min, v);
            return false;
        }
        if (!set_string(field, empty ? NULL : v)) {
            snprintf(why, n, "out of memory");
            return false;
        }
        return true;
    case KT_URL:
        if (!empty && !valid_url(v)) {
            snprintf(why, n, "expected a URL starting with http:// or https://, got '%.60s'", v);
            return false;
        }
        if (!set_string(field, empty ? NULL : v)) {
            snprintf(why, n, "out of memory");
            return false;
        }
        return true;
    case KT_BOOL:
        return parse_bool(v, field, why, n);
    case KT_RATIO:
        return parse_ratio(v, field, why, n);
    case KT_RATIOS:
        return parse_ratios(v, field, why, n);
    case KT_LEVEL:
        return parse_level(v, field, why, n);
    case KT_ADDRS:
        return parse_addresses(v, field, why, n);
    }
    snprintf(why, n, "internal error: unknown key type");
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing                                                                                  */

typedef struct {
    lv_config *cfg;
    const char *pos;  /* the reader's position in the text */
    int line;         /* 1-based number of the line inih is working on */
    bool indented;    /* that line starts with white space */
    int seen[N_KEYS]; /* line on which each key was set; 0: not set */
    lv_error err;     /* our first error */
    bool failed;
} parse_state;

/* @return the index of [section] name in KEYS, or N_KEYS when there is no such key. */
static size_t key_index(const char *section, const char *name)
{
    size_t i;
    for (i = 0; i < N_KEYS; i++)
        if (strcmp(KEYS[i].section, section) == 0 && strcmp(KEYS[i].name, name) == 0)
            break;
    return i;
}

static bool known_section(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
        if (strlen(SECTIONS[i]) == len && strncmp(SECTIONS[i], name, len) == 0)
            return true;
    return false;
}

/* fgets-like reader over the text that counts lines and checks what inih cannot. */
static char *reader(char *buf, int num, void *stream)
{
    parse_state *st = stream;
    if (st->failed || *st->pos == '\0')
        return NULL;
    const char *nl = strchr(st->pos, '\n');
    size_t len = nl != NULL ? (size_t)(nl - st->pos) + 1 : strlen(st->pos);
    size_t content = len;
    while (content > 0 && (st->pos[content - 1] == '\n' || st->pos[content - 1] == '\r'))
        content--;
    st->line++;
    if (content > CONFIG_MAX_LINE || len + 1 > (size_t)num) {
        error_set(&st->err, st->line, NULL, "line is longer than %d characters", CONFIG_MAX_LINE);
        st->failed = true;
        return NULL;
    }
    memcpy(buf, st->pos, len);
    buf[len] = '\0';
    st->pos += len;
    st->indented = buf[0] == ' ' || buf[0] == '\t';

    const char *p = buf;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (close != NULL && !known_section(p + 1, (size_t)(close - p - 1))) {
            int nlen = (int)(close - p - 1);
            error_set(&st->err, st->line, NULL,
                      "unknown section [%.*s] (known: server, database, privacy, budget, "
                      "declarations, alerts, metrics, log)",
                      nlen > 40 ? 40 : nlen, p + 1);
            st->failed = true;
        }
    }
    return buf;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    parse_state *st = user;
    if (st->failed)
        return 0;
    if (section[0] == '\0') {
        error_set(&st->err, st->line, NULL, "'%.40s' is outside any [section]", name);
        st->failed = true;
        return 0;
    }
    size_t i = key_index(section, name);
    if (i == N_KEYS) {
        char key[64];
        snprintf(key, sizeof key, "[%.20s] %.30s", section, name);
        error_set(&st->err, st->line, key, "unknown key");
        st->failed = true;
        return 0;
    }
    if (st->seen[i] != 0) {
        if (st->indented)
            error_set(&st->err, st->line, NULL,
                      "an indented line continues %s (line %d); remove the indentation",
                      KEYS[i].full, st->seen[i]);
        else
            error_set(&st->err, st->line, KEYS[i].full, "set twice (first on line %d)",
                      st->seen[i]);
        st->failed = true;
        return 0;
    }
    st->seen[i] = st->line;
    char why[240];
    if (!key_set(st->cfg, &KEYS[i], value, why, sizeof why)) {
        error_set(&st->err, st->line, KEYS[i].full, "%s", why);
        st->failed = true;
        return 0;
    }
    return 1;
}

/* The text of line @line (1-based) of @text, trimmed, into @out. */
static void line_text(const char *text, int line, char *out, size_t n)
{
    for (int l = 1; l < line && text != NULL; l++) {
        text = strchr(text, '\n');
        if (text != NULL)
            text++;
    }
    out[0] = '\0';
    if (text == NULL)
        return;
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strcspn(text, "\r\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

lv_config *config_new(void)
{
    lv_config *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL)
        return NULL;
    snprintf(cfg->listen.host, sizeof cfg->listen.host, "127.0.0.1");
    cfg->listen.port = 8080;
    cfg->threads = 4;
    cfg->connection_limit = 256;
    cfg->per_ip_connection_limit = 32;
    cfg->connection_timeout_s = 15;
    cfg->request_timeout_s = 60;
    cfg->statement_timeout_ms = 5000;
    cfg->pool_wait_ms = 2000;
    cfg->max_body_bytes = 8 * MIB;
    cfg->max_lines_per_submission = 100000;
    cfg->read_your_writes_timeout_ms = 2000;
    cfg->thresholds = (lv_ratio_list){.bp = {5000, 7500, 9000, 10000}, .n = 4};
    cfg->forecast_threshold_bp = 10000;
    cfg->default_year = 0;
    cfg->deadline_working_days = 17;
    cfg->max_travel_cents_per_line = 100000;
    cfg->evaluation_interval_s = 60;
    cfg->require_token = false;
    cfg->log_level = LV_LOG_INFO;
    return cfg;
}

void config_free(lv_config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < N_KEYS; i++) {
        if (KEYS[i].type == KT_STRING || KEYS[i].type == KT_URL)
            set_string((char **)((char *)cfg + KEYS[i].offset), NULL);
    }
    set_string(&cfg->tls_cert_pem, NULL);
    set_string(&cfg->tls_key_pem, NULL); /* wiped, like every string here */
    free(cfg);
}

lv_config *config_parse_new(const char *text, lv_error *err)
{
    parse_state st = {.pos = text, .line = 0};
    st.cfg = config_new();
    if (st.cfg == NULL) {
        error_set(err, 0, NULL, "out of memory");
        return NULL;
    }
    int ini_line = ini_parse_stream(reader, &st, on_key, &st);
    if (ini_line < 0 && !st.failed) {
        error_set(err, 0, NULL, "out of memory");
        config_free(st.cfg);
        return NULL;
    }
    /* inih reports the first line where it or our handler failed; a line before ours is a
     * syntax error that inih found on its own. */
    if (ini_line > 0 && (!st.failed || ini_line < st.err.line_no)) {
        char bad[64];
        line_text(text, ini_line, bad, sizeof bad);
        if (bad[0] == '[')
            error_set(&st.err, ini_line, NULL, "expected ']' to close the section name in '%s'",
                      bad);
        else
            error_set(&st.err, ini_line, NULL,
                      "expected 'key = value', a [section] or a # comment, got '%s'", bad);
        st.failed = true;
    }
    if (!st.failed) {
        size_t key = key_index("privacy", "client_hash_key");
        size_t key_file = key_index("privacy", "client_hash_key_file");
        if (st.seen[key] != 0 && st.seen[key_file] != 0) {
            size_t later = st.seen[key] > st.seen[key_file] ? key : key_file;
            error_set(&st.err, st.seen[later], KEYS[later].full,
                      "set only one of client_hash_key and client_hash_key_file");
            st.failed = true;
        }
    }
    if (!st.failed) {
        /* TLS takes both files or neither: name the one that is missing. */
        size_t cert = key_index("server", "tls_cert_file");
        size_t key = key_index("server", "tls_key_file");
        bool has_cert = st.cfg->tls_cert_file != NULL, has_key = st.cfg->tls_key_file != NULL;
        if (has_cert != has_key) {
            size_t given = has_cert ? cert : key, missing = has_cert ? key : cert;
            error_set(&st.err, st.seen[given], KEYS[missing].full,
                      "%s is set (line %d) but %s is not: HTTPS needs both", KEYS[given].full,
                      st.seen[given], KEYS[missing].full);
            st.failed = true;
        }
    }
    if (st.failed) {
        if (err != NULL)
            *err = st.err;
        config_free(st.cfg);
        return NULL;
    }
    return st.cfg;
}

bool config_check_complete(const lv_config *cfg, lv_error *err)
{
    if (cfg->client_hash_key == NULL || cfg->client_hash_key[0] == '\0') {
        error_set(err, 0, "[privacy] client_hash_key",
                  "required: set client_hash_key or client_hash_key_file (a secret of at "
                  "least %d characters)",
                  CONFIG_CLIENT_KEY_MIN);
        return false;
    }
    size_t len = strlen(cfg->client_hash_key);
    if (len < CONFIG_CLIENT_KEY_MIN) {
        if (cfg->client_hash_key_file != NULL)
            error_set(err, 0, "[privacy] client_hash_key_file",
                      "the key in '%.120s' must be at least %d characters (got %zu)",
                      cfg->client_hash_key_file, CONFIG_CLIENT_KEY_MIN, len);
        else
            error_set(err, 0, "[privacy] client_hash_key",
                      "must be at least %d characters (got %zu)", CONFIG_CLIENT_KEY_MIN, len);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Reload support                                                                           */

static bool str_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Bytes of a value of type @t held in place in lv_config (0 for strings, held by pointer). */
static size_t value_size(key_type t)
{
    switch (t) {
    case KT_LISTEN:
        return sizeof(lv_listen);
    case KT_UINT:
        return sizeof(unsigned);
    case KT_SIZE:
        return sizeof(size_t);
    case KT_BOOL:
        return sizeof(bool);
    case KT_RATIO:
        return sizeof(int);
    case KT_RATIOS:
        return sizeof(lv_ratio_list);
    case KT_LEVEL:
        return sizeof(lv_log_level);
    case KT_ADDRS:
        return sizeof(lv_address_list);
    case KT_STRING:
    case KT_URL:
        break;
    }
    return 0;
}

static bool key_equal(const key_spec *k, const lv_config *a, const lv_config *b)
{
    const void *fa = (const char *)a + k->offset;
    const void *fb = (const char *)b + k->offset;
    if (k->type == KT_STRING || k->type == KT_URL)
        return str_equal(*(char *const *)fa, *(char *const *)fb);
    /* Compare what the value means, not the bytes past a string's end or a list's count. */
    if (k->type == KT_LISTEN) {
        const lv_listen *la = fa, *lb = fb;
        return la->port == lb->port && strcmp(la->host, lb->host) == 0;
    }
    if (k->type == KT_RATIOS) {
        const lv_ratio_list *ra = fa, *rb = fb;
        return ra->n == rb->n && memcmp(ra->bp, rb->bp, ra->n * sizeof ra->bp[0]) == 0;
    }
    if (k->type == KT_ADDRS) {
        const lv_address_list *aa = fa, *ab = fb;
        return aa->n == ab->n && memcmp(aa->a, ab->a, aa->n * sizeof aa->a[0]) == 0;
    }
    return memcmp(fa, fb, value_size(k->type)) == 0;
}

size_t config_restart_changes(const lv_config *running, const lv_config *next, const char **names,
                              size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < N_KEYS; i++) {
        if (!(KEYS[i].flags & KF_RESTART) || key_equal(&KEYS[i], running, next))
            continue;
        if (count < max)
            names[count] = KEYS[i].full;
        count++;
    }
    return count;
}

bool config_keep_restart_values(lv_config *next, const lv_config *running)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_spec *k = &KEYS[i];
        if (!(k->flags & KF_RESTART))
            continue;
        void *to = (char *)next + k->offset;
        const void *from = (const char *)running + k->offset;
        if (k->type == KT_STRING || k->type == KT_URL) {
            if (!set_string(to, *(char *const *)from))
                return false;
        } else {
            memcpy(to, from, value_size(k->type));
        }
    }
    return true;
}

const char *config_log_level_name(lv_log_level level)
{
    if ((int)level < 0 || level > LV_LOG_ERROR)
        return "info";
    return LEVEL_NAMES[level];
}
