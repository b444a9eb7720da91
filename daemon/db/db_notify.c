/*
 * db_notify.c: LISTEN and the notifications that follow it (see db_listen() and
 * db_wait_notify() in db_conn.h).
 *
 * A notification arrives on the connection's socket whenever it is sent, also while the
 * connection is idle; libpq queues it once it reads the socket (PQconsumeInput). So
 * waiting is a poll() on the socket (and on the caller's wake-up descriptor), and
 * delivering is draining libpq's queue. A server that goes away makes the socket readable
 * at EOF, so a waiting listener learns of it at once instead of at its next query.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"
#include "log.h"

db_status db_listen(db_conn *c, const char *channel)
{
    /* LISTEN takes an identifier, not a parameter: the name is checked, never quoted in. */
    size_t len = strlen(channel);
    if (len == 0 || len > 63 || strspn(channel, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
        return db_fail_local(c, "listen", "not a channel name: '%.64s'", channel);
    PGconn *pg = db_conn_pg(c);
    if (pg == NULL)
        return db_fail(c, "listen", NULL);
    char sql[80];
    snprintf(sql, sizeof sql, "LISTEN %s", channel);
    PGresult *res = PQexecParams(pg, sql, 0, NULL, NULL, NULL, NULL, 0);
    db_status st = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : db_fail(c, sql, res);
    PQclear(res);
    return st;
}

/* Reads what the socket holds and hands every queued notification to @a fn.
 * @return false when the connection is lost */
static bool deliver(PGconn *pg, db_notify_fn fn, void *cls, size_t *n)
{
    if (!PQconsumeInput(pg))
        return false;
    PGnotify *note;
    while ((note = PQnotifies(pg)) != NULL) {
        fn(cls, note->relname, note->extra != NULL ? note->extra : "");
        PQfreemem(note);
        (*n)++;
    }
    return PQstatus(pg) != CONNECTION_BAD;
}

db_status db_wait_notify(db_conn *c, int timeout_ms, int wake_fd, db_notify_fn fn, void *cls)
{
    PGconn *pg = db_conn_pg(c);
    size_t n = 0;
    if (pg == NULL || !deliver(pg, fn, cls, &n))
        return db_fail(c, "notifications", NULL);
    if (n > 0 || timeout_ms <= 0)
        return DB_OK;
    struct pollfd fds[2] = {{PQsocket(pg), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int r = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (r < 0 && errno != EINTR)
        log_warning("waiting for database notifications: poll failed", "{s:s}", "error",
                    strerror(errno));
    if (r > 0 && fds[0].revents != 0 && !deliver(pg, fn, cls, &n))
        return db_fail(c, "notifications", NULL);
    return DB_OK;
}
