/*
 * notify_probe.c: the yardstick of bench/bulk_bench.sh for "commit to visible": when each
 * ledger notification reaches a client that does nothing else. No instance can show a
 * commit it learns of through NOTIFY sooner than this.
 *
 *   notify_probe CONNINFO < /dev/stdin     (stops when its standard input closes)
 *
 * LISTENs on lvhcmon_ledger through the daemon's own database layer (daemon/db/) and
 * writes one line per notification to standard output: the payload (the submission id)
 * and the wall-clock time it arrived, in microseconds since the epoch. It prints "ready"
 * on standard error once it listens.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include "db/db_conn.h"

static void on_notify(void *cls, const char *channel, const char *payload)
{
    (void)channel;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    fprintf(cls, "%s %lld\n", payload, (long long)tv.tv_sec * 1000000 + tv.tv_usec);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: notify_probe CONNINFO\n");
        return 2;
    }
    db_conn *conn = db_conn_new(argv[1], false);
    lv_error err = {0};
    if (conn == NULL || db_conn_ensure(conn, &err) != DB_OK ||
        db_listen(conn, DB_CHANNEL_LEDGER) != DB_OK) {
        fprintf(stderr, "notify_probe: cannot listen: %s\n",
                conn ? db_conn_error(conn) : "out of memory");
        db_conn_free(conn);
        return 1;
    }
    fprintf(stderr, "ready\n");
    for (;;) {
        if (db_wait_notify(conn, 60000, 0, on_notify, stdout) != DB_OK)
            break;
        /* Standard input readable means closed (nothing is ever written to it): stop. */
        struct pollfd in = {0, POLLIN, 0};
        if (poll(&in, 1, 0) > 0)
            break;
    }
    fflush(stdout);
    db_conn_free(conn);
    return 0;
}
