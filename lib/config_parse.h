/*
 * config_parse.h: the configuration of lvhcmond and lvhcmon as a value, and the pure parser
 * that turns the text of an INI file into it. No I/O happens here: daemon/config.c reads the
 * file (and the secret key file), resolves relative paths and applies LVHCMON_DB; this module
 * only knows the keys, their defaults and their rules, so it can be unit-tested and fuzzed.
 *
 * Every key has a documented default (config/lvhcmon.conf lists them all). Unknown sections
 * or keys, bad values, empty values where one is required and keys set twice are errors that
 * name the line and the key: "line 12: [server] listen: expected host:port, got 'abc'".
 *
 * Money-adjacent settings never use floats: budget ratios are integer basis points
 * (0.75 -> 7500, 1.0 -> 10000).
 *
 * Ownership: config_new() and config_parse_new() return a configuration the caller owns;
 * release it with config_free(), which also wipes the client hash key, the conninfo
 * strings and the TLS key from memory.
 */
#ifndef LVHCMON_CONFIG_PARSE_H
#define LVHCMON_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/** Most budget thresholds a configuration may list. */
#define CONFIG_MAX_THRESHOLDS 16
/** Shortest accepted client hash key, in characters. */
#define CONFIG_CLIENT_KEY_MIN 32
/** Longest accepted line in a configuration file (inih's line buffer, minus CR LF NUL). */
#define CONFIG_MAX_LINE 197

/** Log levels, in increasing severity. */
typedef enum { LV_LOG_DEBUG = 0, LV_LOG_INFO, LV_LOG_WARNING, LV_LOG_ERROR } lv_log_level;

/** A listening address: a numeric IPv4 or IPv6 host and a port (0: any free port). */
typedef struct {
    char host[48]; /* "127.0.0.1", "::1", "0.0.0.0" (IPv6 without brackets) */
    uint16_t port;
} lv_listen;

/** Most addresses [server] trusted_proxies may list. */
#define CONFIG_MAX_PROXIES 16

/** One IP address, as inet_pton() reads it. */
typedef struct {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char bytes[16]; /* the address in network order (4 bytes for IPv4) */
} lv_address;

/** A list of IP addresses ([server] trusted_proxies). */
typedef struct {
    lv_address a[CONFIG_MAX_PROXIES];
    size_t n;
} lv_address_list;

/** An increasing list of ratios in basis points (10000 = 1.0 = the whole cap). */
typedef struct {
    int bp[CONFIG_MAX_THRESHOLDS];
    size_t n;
} lv_ratio_list;

/** The whole configuration. Strings are owned by the struct; NULL means "not set". */
typedef struct {
    /* [server] */
    lv_listen listen;                     /* 127.0.0.1:8080 */
    unsigned threads;                     /* 4: HTTP worker threads */
    unsigned connection_limit;            /* 256 */
    unsigned per_ip_connection_limit;     /* 32: connections from one address at once */
    unsigned connection_timeout_s;        /* 15: inactivity */
    unsigned request_timeout_s;           /* 60: total time to send one request (slowloris) */
    size_t max_body_bytes;                /* 8 MiB */
    unsigned max_lines_per_submission;    /* 100000 */
    unsigned read_your_writes_timeout_ms; /* 2000: how long a submission's answer waits for
                                           * this instance's reads to include it; 0: not */
    char *web_dir;                        /* NULL: the built-in default */
    char *tls_cert_file;                  /* NULL: plain HTTP; with tls_key_file: HTTPS only */
    char *tls_key_file;
    lv_address_list trusted_proxies; /* empty: X-Forwarded-For is never believed */
    /* Not keys: the PEM text of tls_cert_file and tls_key_file, read by daemon/config.c
     * (NULL when TLS is off); the key is wiped by config_free(). */
    char *tls_cert_pem;
    char *tls_key_pem;
    char *public_url; /* how clients reach this daemon ("https://lvhcmon.example.nl"), for
                         links it hands out (Alertmanager's generatorURL); NULL: built
                         from listen, the host name for a wildcard address */
    /* [database] */
    char *conninfo;                /* NULL or "": libpq defaults (PGHOST, ...) */
    char *migrate_conninfo;        /* NULL: conninfo; the schema owner, for migrations */
    unsigned statement_timeout_ms; /* 5000; 0: none */
    unsigned pool_size;            /* 0: threads + 2; the daemon's database connections */
    unsigned pool_wait_ms;         /* 2000: longest wait for a free connection */
    char *sql_dir;                 /* NULL: the built-in default */
    /* [privacy] */
    char *client_hash_key;      /* secret; >= CONFIG_CLIENT_KEY_MIN characters */
    char *client_hash_key_file; /* alternative: a file holding the key */
    /* [budget] */
    lv_ratio_list thresholds;  /* 0.5, 0.75, 0.9, 1.0 */
    int forecast_threshold_bp; /* 1.0 */
    unsigned default_year;     /* 0: the current year */
    /* [declarations] */
    unsigned deadline_working_days;     /* 17 */
    unsigned max_travel_cents_per_line; /* 100000 (EUR 1,000): 0584 above it on one line */
    /* [alerts] */
    char *alertmanager_url;         /* NULL: do not push alerts */
    unsigned evaluation_interval_s; /* 60 */
    /* [metrics] */
    bool require_token; /* false: /metrics is public */
    /* [log] */
    lv_log_level log_level; /* info */
} lv_config;

/**
 * @return a new configuration holding every default, owned by the caller (release with
 *         config_free()), or NULL when out of memory.
 */
lv_config *config_new(void);

/**
 * Releases @a cfg and wipes its client hash key. Accepts NULL.
 * @param cfg configuration from config_new() or config_parse_new()
 */
void config_free(lv_config *cfg);

/**
 * Parses the text of a configuration file. Keys not in the text keep their defaults.
 * @param text NUL-terminated INI text
 * @param err receives the first error (may be NULL)
 * @return a new configuration owned by the caller, or NULL on any error
 */
lv_config *config_parse_new(const char *text, lv_error *err);

/**
 * Checks what the daemon needs beyond a well-formed file: a client hash key (given inline
 * or already read from client_hash_key_file by the caller) of at least
 * CONFIG_CLIENT_KEY_MIN characters.
 * @param cfg the configuration to check
 * @param err receives the reason (may be NULL)
 * @return true when the daemon can start with @a cfg
 */
bool config_check_complete(const lv_config *cfg, lv_error *err);

/**
 * Lists the keys whose value differs between @a running and @a next but that only take
 * effect on a restart (listen, threads, conninfo, the key, ...).
 * @param running the configuration in use
 * @param next the configuration just read
 * @param names receives up to @a max names such as "[server] listen" (static strings)
 * @param max capacity of @a names
 * @return the number of such keys (may exceed @a max; only @a max are stored)
 */
size_t config_restart_changes(const lv_config *running, const lv_config *next, const char **names,
                              size_t max);

/**
 * Copies every restart-only value from @a running into @a next, so that @a next describes
 * what the process really uses after a live reload.
 * @return false when out of memory (@a next is then partly updated but still valid)
 */
bool config_keep_restart_values(lv_config *next, const lv_config *running);

/**
 * @return the conninfo migrations and the owner's commands run with: migrate_conninfo when
 *         set, else conninfo (either may be NULL: libpq's defaults)
 */
const char *config_migrate_conninfo(const lv_config *cfg);

/**
 * @param list the trusted proxies
 * @param text a numeric IPv4 or IPv6 address
 * @return true when @a text is an address of @a list
 */
bool config_address_listed(const lv_address_list *list, const char *text);

/** @return "debug", "info", "warning" or "error". */
const char *config_log_level_name(lv_log_level level);

/**
 * Parses a ratio such as "0.75", "1" or "1.0125" into basis points (at most four decimals).
 * @return false when @a text is not such a number or does not fit
 */
bool config_parse_ratio_bp(const char *text, int *bp);

#endif
