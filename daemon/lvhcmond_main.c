/*
 * lvhcmond_main.c: the daemon's entry point and process life.
 *
 * Start: read the configuration, apply pending migrations (safe when several daemons start
 * at once, see db/migrate.h), open the connection pool, start the HTTP server, log
 * "listening". Then the main thread does nothing but wait for signals with sigwait(): the
 * signals are blocked in every thread (the mask is set before any thread starts), so no
 * code ever runs inside a signal handler.
 *
 *   SIGTERM, SIGINT  stop accepting, let requests in flight finish (up to
 *                    [server] connection_timeout_s; a second signal cuts that short), exit 0.
 *   SIGHUP           reload the configuration file. Settings that can change live (log
 *                    level, budget thresholds, limits read per request, ...) apply to every
 *                    request that starts afterwards; settings that need a restart (listen,
 *                    threads, conninfo, ...) keep their running value, with a warning. A
 *                    configuration that does not load is logged and the running one kept.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts/alert_engine.h"
#include "app.h"
#include "config.h"
#include "db/db_pool.h"
#include "db/migrate.h"
#include "http/server.h"
#include "log.h"
#include "process_guard.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_asof.h"
#include "test_hooks.h"

#define EXIT_USAGE 2
/* Connections in the pool beyond one per HTTP thread, polling or handler pool (background
 * work), unless [database] pool_size says how many. */
#define POOL_SPARE 2

static void usage(FILE *out)
{
    fprintf(out, "usage: lvhcmond [--config FILE] [--check-config]\n"
                 "       lvhcmond --version | --help\n"
                 "\n"
                 "  -c, --config FILE   configuration file (default " CONFIG_DEFAULT_PATH ")\n"
                 "      --check-config  validate the configuration and exit (0 ok, 1 not)\n"
                 "  -V, --version       print the version and exit\n"
                 "  -h, --help          print this help and exit\n");
}

/* Applies pending migrations over a connection of its own, as the schema owner ([database]
 * migrate_conninfo). @return the schema version the code expects, or -1. */
static int run_migrations(const lv_config *cfg, const migration_set *set)
{
    lv_error err = {0};
    char text[LV_ERROR_TEXT_MAX];
    db_conn *c = db_conn_new(config_migrate_conninfo(cfg), false);
    if (c != NULL)
        db_conn_set_statement_timeout(c, 0); /* a migration may rewrite a whole table */
    if (c == NULL || db_conn_ensure(c, &err) != DB_OK) {
        log_error("database unreachable", "{s:s}", "error",
                  c != NULL ? lv_error_text(&err, text, sizeof text) : "out of memory");
        db_conn_free(c);
        return -1;
    }
    int applied = migrate_apply(c, set, &err);
    db_conn_free(c);
    if (applied < 0) {
        log_error("database schema refused", "{s:s}", "error",
                  lv_error_text(&err, text, sizeof text));
        return -1;
    }
    log_info("database schema current", "{s:i, s:i}", "version", migrate_newest_version(set),
             "applied", applied);
    return migrate_newest_version(set);
}

static void reload(lv_app *app, const char *path)
{
    lv_error err;
    char text[LV_ERROR_TEXT_MAX];
    lv_config *next = config_load(path, true, &err);
    if (next == NULL) {
        log_error("configuration reload failed; keeping the running configuration", "{s:s}",
                  "error", lv_error_text(&err, text, sizeof text));
        return;
    }
    app_config_ref *ref = app_config_acquire(app);
    const lv_config *running = app_config_ref_get(ref);
    const char *names[32];
    size_t n = config_restart_changes(running, next, names, 32);
    for (size_t i = 0; i < n && i < 32; i++)
        log_warning("setting changed but only a restart applies it; keeping the running value",
                    "{s:s}", "key", names[i]);
    bool kept = config_keep_restart_values(next, running);
    app_config_release(app, ref);
    lv_log_level level = next->log_level;
    if (!kept)
        config_free(next);
    if (!kept || !app_config_replace(app, next)) { /* replace frees next when it fails */
        log_error("configuration reload failed; keeping the running configuration", "{s:s}",
                  "error", "out of memory");
        return;
    }
    /* Say so at the more verbose of the two levels, so that a reload from or to a quiet
     * level still leaves its trace. */
    lv_log_level before = log_get_level();
    log_set_level(level < before ? level : before);
    log_info("configuration reloaded", "{s:s, s:i}", "log_level", config_log_level_name(level),
             "restart_needed", (int)n);
    log_set_level(level);
}

/* Graceful stop: no new connections, wait for requests in flight, then stop. */
static void stop_gracefully(http_server *srv, const sigset_t *signals, unsigned grace_s)
{
    http_server_quiesce(srv);
    log_info("stopping: finishing requests in flight", "{s:i}", "grace_s", (int)grace_s);
    bool idle = false;
    for (unsigned waited = 0; !idle && waited < grace_s; waited++) {
        idle = http_server_wait_idle(srv, 1);
        struct timespec zero = {0, 0};
        int sig = sigtimedwait(signals, NULL, &zero);
        if (!idle && (sig == SIGTERM || sig == SIGINT)) {
            log_warning("second stop signal: not waiting for requests in flight", NULL);
            break;
        }
    }
    if (!idle)
        log_warning("stopping with requests still in flight", NULL);
    http_server_free(srv);
}

static int serve(lv_config *cfg, const char *config_path)
{
    lv_error err = {0};
    char text[LV_ERROR_TEXT_MAX];
    migration_set *migrations = migrate_scan_new(cfg->sql_dir, &err);
    if (migrations == NULL) {
        log_error("cannot read the migrations", "{s:s}", "error",
                  lv_error_text(&err, text, sizeof text));
        config_free(cfg);
        return EXIT_FAILURE;
    }
    int schema_version = run_migrations(cfg, migrations);
    migrate_set_free(migrations);
    if (schema_version < 0) {
        config_free(cfg);
        return EXIT_FAILURE;
    }

    size_t pool_size = cfg->pool_size > 0 ? cfg->pool_size : 2 * cfg->threads + POOL_SPARE;
    db_pool *pool = db_pool_new(cfg->conninfo, pool_size, cfg->pool_wait_ms);
    lv_app *app = pool != NULL ? app_new(cfg, pool, schema_version) : NULL;
    if (app == NULL) {
        log_error("out of memory", NULL);
        db_pool_free(pool);
        config_free(cfg);
        return EXIT_FAILURE;
    }
    /* From here on cfg belongs to app and may be replaced by a reload: read settings
     * through a reference. */
    app_config_ref *ref = app_config_acquire(app);
    const lv_config *running = app_config_ref_get(ref);
    /* The budget snapshots: built and kept current by their own thread and connection. */
    app->snapshots = snapshot_store_new(app, running->conninfo);
    app->asof = snapshot_asof_cache_new(SNAPSHOT_ASOF_SLOTS);
    if (app->asof == NULL) {
        log_error("out of memory", NULL);
        snapshot_store_free(app->snapshots);
        app_config_release(app, ref);
        app_free(app);
        return EXIT_FAILURE;
    }
    if (app->snapshots == NULL || !snapshot_store_start(app->snapshots, &err)) {
        log_error("cannot start the budget snapshots", "{s:s}", "error",
                  app->snapshots != NULL ? lv_error_text(&err, text, sizeof text)
                                         : "out of memory");
        snapshot_store_free(app->snapshots);
        app_config_release(app, ref);
        app_free(app);
        return EXIT_FAILURE;
    }
    /* The alert engine: evaluates the rules after every rebuild of the current year, on a
     * thread and connection of its own; one instance of several leads (alert_engine.h). */
    alert_engine *alerts = alert_engine_new(running->conninfo, app, &err);
    if (alerts == NULL) {
        log_error("cannot start the alert engine", "{s:s}", "error",
                  lv_error_text(&err, text, sizeof text));
        app_config_release(app, ref);
        snapshot_store_free(app->snapshots);
        app_free(app);
        return EXIT_FAILURE;
    }
    snapshot_store_set_hook(app->snapshots, alert_engine_snapshot_hook, alerts);
    snapshot_store_request_rebuild(app->snapshots); /* a first evaluation now */
    http_server *srv = http_server_new(app, running, &err);
    if (srv == NULL) {
        log_error("cannot start the HTTP server", "{s:s}", "error",
                  lv_error_text(&err, text, sizeof text));
        app_config_release(app, ref);
        alert_engine_stop(alerts);
        snapshot_store_free(app->snapshots);
        alert_engine_free(alerts);
        app_free(app);
        return EXIT_FAILURE;
    }
    log_info("listening", "{s:s, s:i, s:i, s:s, s:b, s:i}", "address", running->listen.host, "port",
             (int)http_server_port(srv), "threads", (int)running->threads, "version",
             LVHCMON_VERSION, "tls", http_server_tls(srv), "dumpable", process_dumpable());
    app_config_release(app, ref);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            reload(app, config_path);
            continue;
        }
        log_info("stop signal received", "{s:s}", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM");
        break;
    }
    ref = app_config_acquire(app);
    unsigned grace_s = app_config_ref_get(ref)->connection_timeout_s;
    app_config_release(app, ref);
    stop_gracefully(srv, &signals, grace_s);
    alert_engine_stop(alerts);           /* no more snapshot reads after this */
    snapshot_store_free(app->snapshots); /* no more hook calls after this */
    app->snapshots = NULL;
    alert_engine_free(alerts);
    app_free(app);
    log_info("stopped", NULL);
    return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
    const char *config_path = CONFIG_DEFAULT_PATH;
    bool check_only = false;
    if (!process_guard())
        return EXIT_FAILURE;
    test_hooks_start();
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"check-config", no_argument, NULL, 'k'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0; /* we word the errors ourselves */
    int opt;
    while ((opt = getopt_long(argc, argv, ":c:Vh", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'k':
            check_only = true;
            break;
        case 'V':
            printf("lvhcmond %s\n", LVHCMON_VERSION);
            return EXIT_SUCCESS;
        case 'h':
            usage(stdout);
            return EXIT_SUCCESS;
        case ':':
            fprintf(stderr, "lvhcmond: option '%s' needs a value\n", argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "lvhcmond: unknown option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "lvhcmond: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "lvhcmond: cannot initialise libsodium\n");
        return EXIT_FAILURE;
    }

    lv_error err;
    char text[LV_ERROR_TEXT_MAX];
    lv_config *cfg = config_load(config_path, true, &err);
    if (check_only) {
        migration_set *set = NULL;
        if (cfg != NULL && (set = migrate_scan_new(cfg->sql_dir, &err)) == NULL) {
            config_free(cfg);
            cfg = NULL;
        }
        migrate_set_free(set);
        if (cfg == NULL) {
            fprintf(stderr, "lvhcmond: %s\n", lv_error_text(&err, text, sizeof text));
            return EXIT_FAILURE;
        }
        config_free(cfg);
        printf("configuration ok\n");
        return EXIT_SUCCESS;
    }
    if (cfg == NULL) {
        log_error("configuration refused", "{s:s}", "error",
                  lv_error_text(&err, text, sizeof text));
        return EXIT_FAILURE;
    }
    log_set_level(cfg->log_level);
    db_conn_set_default_statement_timeout(cfg->statement_timeout_ms);

    /* Block the signals we wait for before any thread exists, so every thread inherits the
     * mask and only sigwait() in this thread ever sees them. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    return test_hooks_exit_status(serve(cfg, config_path));
}
