/*
 * check_config_parse.c: Check suite for lib/config_parse.c. A complete good file, the
 * defaults of an empty one, value syntaxes (listen, sizes, ratios, booleans, levels), every
 * kind of bad file with the exact line and key its message must name, the daemon's
 * completeness check, and the restart diff of a reload.
 */
#include <stdio.h>
#include <string.h>

#include "config_parse.h"
#include "unit_runner.h"

/* --- a complete good file and the defaults ------------------------------------------------ */

static const char GOOD[] = "# every key, none at its default\n"
                           "[server]\n"
                           "listen = 0.0.0.0:9090\n"
                           "threads = 8\n"
                           "connection_limit = 1000\n"
                           "per_ip_connection_limit = 8\n"
                           "connection_timeout_s = 10\n"
                           "request_timeout_s = 20\n"
                           "max_body_bytes = 2 MiB\n"
                           "max_lines_per_submission = 5000\n"
                           "read_your_writes_timeout_ms = 0\n"
                           "web_dir = /srv/web\n"
                           "tls_cert_file = cert.pem\n"
                           "tls_key_file = key.pem\n"
                           "trusted_proxies = 10.0.0.5, ::1\n"
                           "public_url = https://lvhcmon.example.nl/\n"
                           "\n"
                           "[database]\n"
                           "conninfo = host=/run/postgresql dbname=lvhcmon\n"
                           "migrate_conninfo = host=/run/postgresql dbname=lvhcmon user=owner\n"
                           "statement_timeout_ms = 0\n"
                           "pool_size = 3\n"
                           "pool_wait_ms = 500\n"
                           "sql_dir = ../sql\n"
                           "\n"
                           "[privacy]\n"
                           "client_hash_key_file = secret.key\n"
                           "\n"
                           "[budget]\n"
                           "thresholds = 0.25,0.5 , 0.8, 1.0, 1.1\n"
                           "forecast_threshold = 0.95\n"
                           "default_year = 2026\n"
                           "\n"
                           "[declarations]\n"
                           "deadline_working_days = 20\n"
                           "max_travel_cents_per_line = 250000\n"
                           "\n"
                           "[alerts]\n"
                           "alertmanager_url = http://alertmanager:9093/api/v2/alerts\n"
                           "evaluation_interval_s = 30\n"
                           "\n"
                           "[metrics]\n"
                           "require_token = yes\n"
                           "\n"
                           "[log]\n"
                           "level = debug\n";

START_TEST(test_good_file)
{
    lv_error err = {0};
    lv_config *cfg = config_parse_new(GOOD, &err);
    ck_assert_msg(cfg != NULL, "refused: %s", err.message);
    ck_assert_str_eq(cfg->listen.host, "0.0.0.0");
    ck_assert_uint_eq(cfg->listen.port, 9090);
    ck_assert_uint_eq(cfg->threads, 8);
    ck_assert_uint_eq(cfg->connection_limit, 1000);
    ck_assert_uint_eq(cfg->per_ip_connection_limit, 8);
    ck_assert_uint_eq(cfg->connection_timeout_s, 10);
    ck_assert_uint_eq(cfg->request_timeout_s, 20);
    ck_assert_uint_eq(cfg->max_body_bytes, 2 * 1024 * 1024);
    ck_assert_uint_eq(cfg->max_lines_per_submission, 5000);
    ck_assert_uint_eq(cfg->read_your_writes_timeout_ms, 0);
    ck_assert_str_eq(cfg->web_dir, "/srv/web");
    ck_assert_str_eq(cfg->tls_cert_file, "cert.pem");
    ck_assert_str_eq(cfg->tls_key_file, "key.pem");
    ck_assert_uint_eq(cfg->trusted_proxies.n, 2);
    ck_assert(config_address_listed(&cfg->trusted_proxies, "10.0.0.5"));
    ck_assert(config_address_listed(&cfg->trusted_proxies, "0:0::1"));
    ck_assert(!config_address_listed(&cfg->trusted_proxies, "10.0.0.6"));
    ck_assert(!config_address_listed(&cfg->trusted_proxies, "not an address"));
    ck_assert_str_eq(cfg->conninfo, "host=/run/postgresql dbname=lvhcmon");
    ck_assert_str_eq(cfg->migrate_conninfo, "host=/run/postgresql dbname=lvhcmon user=owner");
    ck_assert_str_eq(config_migrate_conninfo(cfg), cfg->migrate_conninfo);
    ck_assert_uint_eq(cfg->statement_timeout_ms, 0);
    ck_assert_uint_eq(cfg->pool_size, 3);
    ck_assert_uint_eq(cfg->pool_wait_ms, 500);
    ck_assert_str_eq(cfg->sql_dir, "../sql");
    ck_assert_ptr_null(cfg->client_hash_key);
    ck_assert_str_eq(cfg->client_hash_key_file, "secret.key");
    ck_assert_uint_eq(cfg->thresholds.n, 5);
    const int want[] = {2500, 5000, 8000, 10000, 11000};
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(cfg->thresholds.bp[i], want[i]);
    ck_assert_int_eq(cfg->forecast_threshold_bp, 9500);
    ck_assert_uint_eq(cfg->default_year, 2026);
    ck_assert_uint_eq(cfg->deadline_working_days, 20);
    ck_assert_uint_eq(cfg->max_travel_cents_per_line, 250000);
    ck_assert_str_eq(cfg->public_url, "https://lvhcmon.example.nl/");
    ck_assert_str_eq(cfg->alertmanager_url, "http://alertmanager:9093/api/v2/alerts");
    ck_assert_uint_eq(cfg->evaluation_interval_s, 30);
    ck_assert(cfg->require_token);
    ck_assert_int_eq(cfg->log_level, LV_LOG_DEBUG);
    config_free(cfg);
}
END_TEST

static void assert_defaults(const lv_config *cfg)
{
    ck_assert_str_eq(cfg->listen.host, "127.0.0.1");
    ck_assert_uint_eq(cfg->listen.port, 8080);
    ck_assert_uint_eq(cfg->threads, 4);
    ck_assert_uint_eq(cfg->connection_limit, 256);
    ck_assert_uint_eq(cfg->per_ip_connection_limit, 32);
    ck_assert_uint_eq(cfg->connection_timeout_s, 15);
    ck_assert_uint_eq(cfg->request_timeout_s, 60);
    ck_assert_uint_eq(cfg->max_body_bytes, 8 * 1024 * 1024);
    ck_assert_uint_eq(cfg->max_lines_per_submission, 100000);
    ck_assert_uint_eq(cfg->read_your_writes_timeout_ms, 2000);
    ck_assert_ptr_null(cfg->web_dir);
    ck_assert_ptr_null(cfg->tls_cert_file);
    ck_assert_ptr_null(cfg->tls_key_file);
    ck_assert_uint_eq(cfg->trusted_proxies.n, 0);
    ck_assert_ptr_null(cfg->conninfo);
    ck_assert_ptr_null(cfg->migrate_conninfo);
    ck_assert_ptr_null(config_migrate_conninfo(cfg));
    ck_assert_uint_eq(cfg->statement_timeout_ms, 5000);
    ck_assert_uint_eq(cfg->pool_size, 0);
    ck_assert_uint_eq(cfg->pool_wait_ms, 2000);
    ck_assert_ptr_null(cfg->sql_dir);
    ck_assert_ptr_null(cfg->client_hash_key);
    ck_assert_ptr_null(cfg->client_hash_key_file);
    ck_assert_uint_eq(cfg->thresholds.n, 4);
    ck_assert_int_eq(cfg->thresholds.bp[0], 5000);
    ck_assert_int_eq(cfg->thresholds.bp[1], 7500);
    ck_assert_int_eq(cfg->thresholds.bp[2], 9000);
    ck_assert_int_eq(cfg->thresholds.bp[3], 10000);
    ck_assert_int_eq(cfg->forecast_threshold_bp, 10000);
    ck_assert_uint_eq(cfg->default_year, 0);
    ck_assert_uint_eq(cfg->deadline_working_days, 17);
    ck_assert_uint_eq(cfg->max_travel_cents_per_line, 100000);
    ck_assert_ptr_null(cfg->public_url);
    ck_assert_ptr_null(cfg->alertmanager_url);
    ck_assert_uint_eq(cfg->evaluation_interval_s, 60);
    ck_assert(!cfg->require_token);
    ck_assert_int_eq(cfg->log_level, LV_LOG_INFO);
}

/* Texts that set nothing: every key keeps its default. */
static const char *const empty_texts[] = {
    "",
    "\n\n",
    "# only a comment\n; and another\n",
    "[server]\n[database]\n[privacy]\n[budget]\n[declarations]\n[alerts]\n[metrics]\n[log]\n",
    "\xEF\xBB\xBF# a UTF-8 byte order mark first\n",
    "[database]\nconninfo =\n[budget]\ndefault_year =\n[alerts]\nalertmanager_url =\n",
    "[server]\ntls_cert_file =\ntls_key_file =\ntrusted_proxies =\n[database]\n"
    "migrate_conninfo =\n",
    "[server]\npublic_url =\n",
};

START_TEST(test_defaults)
{
    lv_error err = {0};
    lv_config *cfg = config_parse_new(empty_texts[_i], &err);
    ck_assert_msg(cfg != NULL, "refused: %s", err.message);
    assert_defaults(cfg);
    config_free(cfg);
    cfg = config_new();
    assert_defaults(cfg);
    config_free(cfg);
}
END_TEST

/* --- value syntaxes ---------------------------------------------------------------------- */

/* Parses a file that sets one key; fails the test when it is refused. */
static lv_config *parse_setting(const char *section, const char *key, const char *value)
{
    char text[256];
    snprintf(text, sizeof text, "[%s]\n%s = %s\n", section, key, value);
    lv_error err = {0};
    lv_config *cfg = config_parse_new(text, &err);
    ck_assert_msg(cfg != NULL, "refused '%s': %s", value, err.message);
    return cfg;
}

typedef struct {
    const char *text;
    const char *host;
    unsigned port;
} listen_case;

static const listen_case listen_cases[] = {
    {"127.0.0.1:8080", "127.0.0.1", 8080},
    {"0.0.0.0:80", "0.0.0.0", 80},
    {"localhost:8081", "127.0.0.1", 8081},
    {"[::1]:8080", "::1", 8080},
    {"[::]:443", "::", 443},
    {"127.0.0.1:0", "127.0.0.1", 0},
    {"10.1.2.3:65535", "10.1.2.3", 65535},
};

START_TEST(test_listen)
{
    const listen_case *c = &listen_cases[_i];
    lv_config *cfg = parse_setting("server", "listen", c->text);
    ck_assert_str_eq(cfg->listen.host, c->host);
    ck_assert_uint_eq(cfg->listen.port, c->port);
    config_free(cfg);
}
END_TEST

typedef struct {
    const char *text;
    size_t bytes;
} size_case;

static const size_case size_cases[] = {
    {"1024", 1024},   {"1 KiB", 1024},     {"64k", 65536},      {"8 MiB", 8u << 20},
    {"2m", 2u << 20}, {"3 mib", 3u << 20}, {"1 GiB", 1u << 30}, {"1048576", 1u << 20},
};

START_TEST(test_size)
{
    const size_case *c = &size_cases[_i];
    lv_config *cfg = parse_setting("server", "max_body_bytes", c->text);
    ck_assert_uint_eq(cfg->max_body_bytes, c->bytes);
    config_free(cfg);
}
END_TEST

typedef struct {
    const char *text;
    bool ok;
    int bp;
} ratio_case;

static const ratio_case ratio_cases[] = {
    {"0.5", true, 5000}, {"0.75", true, 7500},    {"1", true, 10000},  {"1.0", true, 10000},
    {"0.0001", true, 1}, {"1.2345", true, 12345}, {"2", true, 20000},  {"0.9000", true, 9000},
    {"", false, 0},      {".5", false, 0},        {"1.", false, 0},    {"0.00001", false, 0},
    {"-1", false, 0},    {"+1", false, 0},        {"1e0", false, 0},   {"abc", false, 0},
    {"1.2.3", false, 0}, {"0,5", false, 0},       {"12345", false, 0}, {" 1", false, 0},
};

START_TEST(test_ratio)
{
    const ratio_case *c = &ratio_cases[_i];
    int bp = -1;
    ck_assert_msg(config_parse_ratio_bp(c->text, &bp) == c->ok, "'%s'", c->text);
    if (c->ok)
        ck_assert_int_eq(bp, c->bp);
}
END_TEST

typedef struct {
    const char *text;
    bool value;
} bool_case;

static const bool_case bool_cases[] = {
    {"true", true},   {"TRUE", true}, {"yes", true},  {"on", true}, {"1", true},
    {"false", false}, {"No", false},  {"off", false}, {"0", false},
};

START_TEST(test_bool)
{
    const bool_case *c = &bool_cases[_i];
    lv_config *cfg = parse_setting("metrics", "require_token", c->text);
    ck_assert(cfg->require_token == c->value);
    config_free(cfg);
}
END_TEST

typedef struct {
    const char *text;
    lv_log_level level;
} level_case;

static const level_case level_cases[] = {
    {"debug", LV_LOG_DEBUG},  {"info", LV_LOG_INFO},   {"warning", LV_LOG_WARNING},
    {"WARN", LV_LOG_WARNING}, {"error", LV_LOG_ERROR}, {"Info", LV_LOG_INFO},
};

START_TEST(test_level)
{
    const level_case *c = &level_cases[_i];
    lv_config *cfg = parse_setting("log", "level", c->text);
    ck_assert_int_eq(cfg->log_level, c->level);
    config_free(cfg);
}
END_TEST

/* Comments, CR LF line ends, inline ';' comments and spacing are all tolerated. */
START_TEST(test_layout)
{
    const char *text = "; comment\r\n# comment\r\n[server]\r\n  \r\nthreads=8 ; eight\r\n"
                       "connection_limit   =   9\r\n";
    lv_error err = {0};
    lv_config *cfg = config_parse_new(text, &err);
    ck_assert_msg(cfg != NULL, "refused: %s", err.message);
    ck_assert_uint_eq(cfg->threads, 8);
    ck_assert_uint_eq(cfg->connection_limit, 9);
    config_free(cfg);
}
END_TEST

/* --- bad files --------------------------------------------------------------------------- */

typedef struct {
    const char *text;
    int line;         /* expected error line; 0 = none */
    const char *key;  /* expected key; "" = none */
    const char *want; /* the whole expected message, or a prefix of it ending in "..." */
} bad_case;

static const bad_case bad_cases[] = {
    /* syntax */
    {"[server]\nlisten = abc\n", 2, "[server] listen",
     "line 2: [server] listen: expected host:port (an IPv4 address, [IPv6] or localhost, and "
     "a port 0-65535), got 'abc'"},
    {"[server]\nthreads\n", 2, "",
     "line 2: expected 'key = value', a [section] or a # comment, got 'threads'"},
    {"[server\nthreads = 4\n", 1, "",
     "line 1: expected ']' to close the section name in "
     "'[server'"},
    /* the syntax error on line 2 comes before the bad value on line 3 */
    {"[server]\nnot a setting\nthreads = x\n", 2, "", "line 2: expected 'key = value'..."},
    {"[database]\nconninfo = "
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxx\n",
     2, "", "line 2: line is longer than 197 characters"},
    /* unknown names */
    {"[server]\nlistn = 127.0.0.1:80\n", 2, "[server] listn",
     "line 2: [server] listn: unknown key"},
    {"[server]\nthreads = 2\n\n[foo]\n", 4, "",
     "line 4: unknown section [foo] (known: server, ..."},
    {"[Server]\nthreads = 2\n", 1, "", "line 1: unknown section [Server] (known: server, ..."},
    {"threads = 4\n[server]\n", 1, "", "line 1: 'threads' is outside any [section]"},
    {"[log]\nlisten = 127.0.0.1:80\n", 2, "[log] listen", "line 2: [log] listen: unknown key"},
    /* duplicates */
    {"[server]\nthreads = 2\nthreads = 3\n", 3, "[server] threads",
     "line 3: [server] threads: set twice (first on line 2)"},
    {"[server]\nthreads = 2\n[log]\nlevel = info\n[server]\nthreads = 2\n", 6, "[server] threads",
     "line 6: [server] threads: set twice (first on line 2)"},
    {"[server]\nthreads = 2\n  connection_limit = 3\n", 3, "",
     "line 3: an indented line continues [server] threads (line 2); remove the indentation"},
    /* empty required values */
    {"[server]\nlisten =\n", 2, "[server] listen", "line 2: [server] listen: a value is required"},
    {"[database]\nsql_dir = \n", 2, "[database] sql_dir",
     "line 2: [database] sql_dir: a value is required"},
    {"[budget]\nthresholds =\n", 2, "[budget] thresholds",
     "line 2: [budget] thresholds: a value is required"},
    /* numbers */
    {"[server]\nthreads = four\n", 2, "[server] threads",
     "line 2: [server] threads: expected a whole number from 1 to 256, got 'four'"},
    {"[server]\nthreads = 0\n", 2, "[server] threads", "line 2: [server] threads: expected ..."},
    {"[server]\nthreads = 257\n", 2, "[server] threads", "line 2: [server] threads: expected ..."},
    {"[server]\nthreads = -1\n", 2, "[server] threads", "line 2: [server] threads: expected ..."},
    {"[server]\nthreads = 4.0\n", 2, "[server] threads", "line 2: [server] threads: expected ..."},
    {"[server]\nconnection_limit = 99999999999999999999999\n", 2, "[server] connection_limit",
     "line 2: [server] connection_limit: expected a whole number from 1 to 100000, got "
     "'99999999999999999999999'"},
    {"[server]\nconnection_timeout_s = 0\n", 2, "[server] connection_timeout_s", "line 2: ..."},
    {"[server]\nmax_lines_per_submission = 0\n", 2, "[server] max_lines_per_submission",
     "line 2: ..."},
    {"[server]\nread_your_writes_timeout_ms = 60001\n", 2, "[server] read_your_writes_timeout_ms",
     "line 2: [server] read_your_writes_timeout_ms: expected a whole number from 0 to 60000, got "
     "'60001'"},
    {"[declarations]\ndeadline_working_days = 0\n", 2, "[declarations] deadline_working_days",
     "line 2: ..."},
    {"[alerts]\nevaluation_interval_s = 1m\n", 2, "[alerts] evaluation_interval_s", "line 2: ..."},
    {"[declarations]\nmax_travel_cents_per_line = 0\n", 2,
     "[declarations] max_travel_cents_per_line",
     "line 2: [declarations] max_travel_cents_per_line: expected a whole number from 1 to "
     "1000000000, got '0'"},
    {"[declarations]\nmax_travel_cents_per_line = 1000.00\n", 2,
     "[declarations] max_travel_cents_per_line", "line 2: ..."},
    {"[server]\npublic_url = lvhcmon.example.nl\n", 2, "[server] public_url",
     "line 2: [server] public_url: expected a URL starting with http:// or https://, got "
     "'lvhcmon.example.nl'"},
    {"[budget]\ndefault_year = 1999\n", 2, "[budget] default_year",
     "line 2: [budget] default_year: expected a whole number from 2000 to 2100, got '1999'"},
    /* sizes */
    {"[server]\nmax_body_bytes = 10\n", 2, "[server] max_body_bytes",
     "line 2: [server] max_body_bytes: expected a size in bytes (optionally with KiB, MiB or "
     "GiB) from 1 KiB to 1 GiB, got '10'"},
    {"[server]\nmax_body_bytes = 2 GiB\n", 2, "[server] max_body_bytes", "line 2: ..."},
    {"[server]\nmax_body_bytes = 8 XB\n", 2, "[server] max_body_bytes", "line 2: ..."},
    {"[server]\nmax_body_bytes = MiB\n", 2, "[server] max_body_bytes", "line 2: ..."},
    /* listen */
    {"[server]\nlisten = 127.0.0.1\n", 2, "[server] listen", "line 2: [server] listen: ..."},
    {"[server]\nlisten = :8080\n", 2, "[server] listen", "line 2: [server] listen: ..."},
    {"[server]\nlisten = example.org:80\n", 2, "[server] listen", "line 2: [server] listen: ..."},
    {"[server]\nlisten = 127.0.0.1:65536\n", 2, "[server] listen", "line 2: ..."},
    {"[server]\nlisten = 127.0.0.1:http\n", 2, "[server] listen", "line 2: ..."},
    {"[server]\nlisten = ::1:80\n", 2, "[server] listen", "line 2: ..."},
    {"[server]\nlisten = [::1:80\n", 2, "[server] listen", "line 2: ..."},
    {"[server]\nlisten = 256.1.1.1:80\n", 2, "[server] listen", "line 2: ..."},
    /* ratios */
    {"[budget]\nthresholds = 0.5, 0.5\n", 2, "[budget] thresholds",
     "line 2: [budget] thresholds: values must be strictly increasing, got '0.5' after 0.5000"},
    {"[budget]\nthresholds = 0.9, 0.75\n", 2, "[budget] thresholds", "line 2: ..."},
    {"[budget]\nthresholds = 0, 0.5\n", 2, "[budget] thresholds",
     "line 2: [budget] thresholds: expected a ratio above 0 and at most 2 with at most 4 "
     "decimals (such as 0.75), got '0'"},
    {"[budget]\nthresholds = 0.5, 2.5\n", 2, "[budget] thresholds", "line 2: ..."},
    {"[budget]\nthresholds = 0.123456\n", 2, "[budget] thresholds", "line 2: ..."},
    {"[budget]\nthresholds = 0.5,,0.7\n", 2, "[budget] thresholds",
     "line 2: [budget] thresholds: expected a comma-separated list of ratios (such as 0.5, "
     "0.75), got '0.5,,0.7'"},
    {"[budget]\nthresholds = 0.5,\n", 2, "[budget] thresholds", "line 2: ..."},
    {"[budget]\nthresholds = 50%\n", 2, "[budget] thresholds", "line 2: ..."},
    {"[budget]\nthresholds = 0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.10,0.11,0.12,0.13,"
     "0.14,0.15,0.16,0.17\n",
     2, "[budget] thresholds", "line 2: [budget] thresholds: at most 16 thresholds, got more"},
    {"[budget]\nforecast_threshold = high\n", 2, "[budget] forecast_threshold", "line 2: ..."},
    {"[budget]\nforecast_threshold = 0\n", 2, "[budget] forecast_threshold", "line 2: ..."},
    /* other types */
    {"[alerts]\nalertmanager_url = ftp://am:9093/\n", 2, "[alerts] alertmanager_url",
     "line 2: [alerts] alertmanager_url: expected a URL starting with http:// or https://, got "
     "'ftp://am:9093/'"},
    {"[alerts]\nalertmanager_url = http://\n", 2, "[alerts] alertmanager_url", "line 2: ..."},
    {"[alerts]\nalertmanager_url = http://a b/\n", 2, "[alerts] alertmanager_url", "line 2: ..."},
    {"[metrics]\nrequire_token = maybe\n", 2, "[metrics] require_token",
     "line 2: [metrics] require_token: expected true or false, got 'maybe'"},
    /* abuse limits, TLS, proxies, database */
    {"[server]\nper_ip_connection_limit = 0\n", 2, "[server] per_ip_connection_limit",
     "line 2: [server] per_ip_connection_limit: expected a whole number from 1 to 100000, got "
     "'0'"},
    {"[server]\nrequest_timeout_s = 0\n", 2, "[server] request_timeout_s", "line 2: ..."},
    {"[server]\ntls_cert_file = /etc/cert.pem\n", 2, "[server] tls_key_file",
     "line 2: [server] tls_key_file: [server] tls_cert_file is set (line 2) but [server] "
     "tls_key_file is not: HTTPS needs both"},
    {"[server]\nthreads = 2\ntls_key_file = /etc/key.pem\n", 3, "[server] tls_cert_file",
     "line 3: [server] tls_cert_file: [server] tls_key_file is set (line 3) but [server] "
     "tls_cert_file is not: HTTPS needs both"},
    {"[server]\ntrusted_proxies = proxy.example\n", 2, "[server] trusted_proxies",
     "line 2: [server] trusted_proxies: 'proxy.example' is not a numeric IPv4 or IPv6 address"},
    {"[server]\ntrusted_proxies = 10.0.0.1,,10.0.0.2\n", 2, "[server] trusted_proxies",
     "line 2: [server] trusted_proxies: expected numeric IP addresses separated by commas, "
     "got '10.0.0.1,,10.0.0.2'"},
    {"[server]\ntrusted_proxies = 10.0.0.0/8\n", 2, "[server] trusted_proxies", "line 2: ..."},
    {"[server]\ntrusted_proxies = 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,"
     "1.1.1.8,1.1.1.9,1.1.2.1,1.1.2.2,1.1.2.3,1.1.2.4,1.1.2.5,1.1.2.6,1.1.2.7,1.1.2.8\n",
     2, "[server] trusted_proxies", "line 2: [server] trusted_proxies: at most 16 addresses"},
    {"[database]\nstatement_timeout_ms = 5s\n", 2, "[database] statement_timeout_ms",
     "line 2: [database] statement_timeout_ms: expected a whole number from 0 to 3600000, got "
     "'5s'"},
    {"[database]\npool_wait_ms = 0\n", 2, "[database] pool_wait_ms", "line 2: ..."},
    {"[log]\nlevel = verbose\n", 2, "[log] level",
     "line 2: [log] level: expected debug, info, warning or error, got 'verbose'"},
    /* the key: too short (and never echoed), or given twice over */
    {"[privacy]\nclient_hash_key = hunter2\n", 2, "[privacy] client_hash_key",
     "line 2: [privacy] client_hash_key: must be at least 32 characters (got 7)"},
    {"[privacy]\nclient_hash_key_file = /k\nclient_hash_key = "
     "0123456789abcdef0123456789abcdef\n",
     3, "[privacy] client_hash_key",
     "line 3: [privacy] client_hash_key: set only one of client_hash_key and "
     "client_hash_key_file"},
    {"[privacy]\nclient_hash_key = 0123456789abcdef0123456789abcdef\n[log]\nlevel = info\n"
     "[privacy]\nclient_hash_key_file = /k\n",
     6, "[privacy] client_hash_key_file", "line 6: [privacy] client_hash_key_file: set only ..."},
};

START_TEST(test_bad)
{
    const bad_case *c = &bad_cases[_i];
    lv_error err = {0};
    lv_config *cfg = config_parse_new(c->text, &err);
    ck_assert_msg(cfg == NULL, "accepted case %d", _i);
    ck_assert_int_eq(err.line_no, c->line);
    ck_assert_str_eq(err.field, c->key);
    size_t len = strlen(c->want);
    if (len > 3 && strcmp(c->want + len - 3, "...") == 0)
        ck_assert_msg(strncmp(err.message, c->want, len - 3) == 0, "case %d: got '%s'", _i,
                      err.message);
    else
        ck_assert_str_eq(err.message, c->want);
    ck_assert_ptr_null(strstr(err.message, "hunter2")); /* a secret never shows */
    config_parse_new(c->text, NULL);                    /* no error holder: no crash */
}
END_TEST

/* --- what the daemon needs, and reloads -------------------------------------------------- */

START_TEST(test_complete)
{
    lv_error err = {0};
    lv_config *cfg = config_parse_new("", NULL);
    ck_assert(!config_check_complete(cfg, &err));
    ck_assert_str_eq(err.field, "[privacy] client_hash_key");
    ck_assert_int_eq(err.line_no, 0);
    ck_assert_str_eq(err.message, "[privacy] client_hash_key: required: set client_hash_key or "
                                  "client_hash_key_file (a secret of at least 32 characters)");
    config_free(cfg);

    cfg = config_parse_new("[privacy]\nclient_hash_key_file = k\n", NULL);
    cfg->client_hash_key = strdup("short key from file");
    ck_assert(!config_check_complete(cfg, &err));
    ck_assert_str_eq(err.message, "[privacy] client_hash_key_file: the key in 'k' must be at "
                                  "least 32 characters (got 19)");
    config_free(cfg);

    cfg = config_parse_new("[privacy]\nclient_hash_key = 0123456789abcdef0123456789abcdef\n", &err);
    ck_assert_ptr_nonnull(cfg);
    ck_assert(config_check_complete(cfg, &err));
    config_free(cfg);
}
END_TEST

START_TEST(test_restart_changes)
{
    lv_config *running =
        config_parse_new("[server]\nlisten = 127.0.0.1:8080\nthreads = 4\n[log]\nlevel = info\n"
                         "[database]\nconninfo = dbname=a\n",
                         NULL);
    lv_config *next = config_parse_new(
        "[server]\nlisten = 127.0.0.1:9090\nthreads = 4\nmax_body_bytes = 1 MiB\n"
        "trusted_proxies = 10.0.0.1\n"
        "[log]\nlevel = debug\n[database]\nconninfo = dbname=b\n[budget]\nthresholds = 0.8\n",
        NULL);
    ck_assert_ptr_nonnull(running);
    ck_assert_ptr_nonnull(next);
    const char *names[8];
    size_t n = config_restart_changes(running, next, names, 8);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(names[0], "[server] listen");
    ck_assert_str_eq(names[1], "[database] conninfo");
    ck_assert_uint_eq(config_restart_changes(running, next, names, 1), 2);

    ck_assert(config_keep_restart_values(next, running));
    ck_assert_uint_eq(next->listen.port, 8080);
    ck_assert_str_eq(next->conninfo, "dbname=a");
    ck_assert_int_eq(next->log_level, LV_LOG_DEBUG);      /* live: the new value */
    ck_assert_uint_eq(next->max_body_bytes, 1024 * 1024); /* live */
    ck_assert_uint_eq(next->thresholds.n, 1);             /* live */
    ck_assert_uint_eq(next->trusted_proxies.n, 1);        /* live */
    ck_assert_uint_eq(config_restart_changes(running, next, names, 8), 0);
    config_free(running);
    config_free(next);
}
END_TEST

START_TEST(test_level_names)
{
    ck_assert_str_eq(config_log_level_name(LV_LOG_DEBUG), "debug");
    ck_assert_str_eq(config_log_level_name(LV_LOG_INFO), "info");
    ck_assert_str_eq(config_log_level_name(LV_LOG_WARNING), "warning");
    ck_assert_str_eq(config_log_level_name(LV_LOG_ERROR), "error");
}
END_TEST

static Suite *config_parse_suite(void)
{
    Suite *s = suite_create("config_parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_good_file);
    tcase_add_loop_test(tc, test_defaults, 0, N_CASES(empty_texts));
    tcase_add_loop_test(tc, test_listen, 0, N_CASES(listen_cases));
    tcase_add_loop_test(tc, test_size, 0, N_CASES(size_cases));
    tcase_add_loop_test(tc, test_ratio, 0, N_CASES(ratio_cases));
    tcase_add_loop_test(tc, test_bool, 0, N_CASES(bool_cases));
    tcase_add_loop_test(tc, test_level, 0, N_CASES(level_cases));
    tcase_add_test(tc, test_layout);
    tcase_add_loop_test(tc, test_bad, 0, N_CASES(bad_cases));
    tcase_add_test(tc, test_complete);
    tcase_add_test(tc, test_restart_changes);
    tcase_add_test(tc, test_level_names);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(config_parse_suite)
