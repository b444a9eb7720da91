/*
 * conn_deadline.c: the request time limit of every connection (see conn_deadline.h).
 *
 * One mutex guards the list of watched connections; the MHD worker threads take it when a
 * connection starts or ends, the watcher thread twice a second to scan. With at most
 * [server] connection_limit entries the scan is short. A connection's phase (busy) and
 * deadline, which change at every request, are atomics its worker stores without the
 * lock: two workers never wait on each other per request. The watcher may read a deadline
 * that is being moved on; it then acts on the older one, which had passed all the same.
 */
#include "http/conn_deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"

#define SCAN_INTERVAL_MS 500

typedef struct watched {
    struct watched *prev, *next;
    MHD_socket fd;
    atomic_llong deadline_ms; /* monotonic */
    atomic_bool busy;         /* the server works on a request: no deadline */
    bool shut;                /* already shut down (the watcher's, under the lock) */
} watched;

struct conn_deadline {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stop;
    long long limit_ms;
    watched *head;
};

/* Monotonic milliseconds from the coarse clock (a few ms old, read without asking the clock
 * source): deadlines are whole seconds, and every request moves one. */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watch_main(void *arg)
{
    conn_deadline *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SCAN_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = 0;
        while (!w->stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&w->wake, &w->lock, &until);
        if (w->stop)
            break;
        long long now = now_ms();
        unsigned shut = 0;
        for (watched *c = w->head; c != NULL; c = c->next) {
            if (c->shut || atomic_load_explicit(&c->busy, memory_order_relaxed) ||
                now < atomic_load_explicit(&c->deadline_ms, memory_order_relaxed))
                continue;
            /* Still open: MHD tells us (under this lock) before it closes a socket. */
            shutdown(c->fd, SHUT_RDWR);
            c->shut = true;
            shut++;
        }
        if (shut > 0) {
            pthread_mutex_unlock(&w->lock);
            log_info("connections closed: a request took longer than request_timeout_s",
                     "{s:i, s:i}", "connections", (int)shut, "request_timeout_s",
                     (int)(w->limit_ms / 1000));
            pthread_mutex_lock(&w->lock);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

conn_deadline *conn_deadline_new(unsigned limit_s)
{
    conn_deadline *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->limit_ms = (long long)limit_s * 1000;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w);
        return NULL;
    }
    return w;
}

void conn_deadline_free(conn_deadline *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    /* The MHD daemon is stopped: it reported every close, so the list is empty; anything
     * left (a connection it never reported) is freed here all the same. */
    for (watched *c = w->head, *next; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
}

void conn_deadline_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    conn_deadline *w = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        watched *c = info != NULL ? calloc(1, sizeof *c) : NULL;
        *socket_context = c;
        if (c == NULL)
            return; /* out of memory: this one connection goes without a deadline */
        c->fd = info->connect_fd;
        atomic_init(&c->busy, false);
        atomic_init(&c->deadline_ms, now_ms() + w->limit_ms);
        pthread_mutex_lock(&w->lock);
        c->next = w->head;
        if (w->head != NULL)
            w->head->prev = c;
        w->head = c;
        pthread_mutex_unlock(&w->lock);
        return;
    }
    watched *c = *socket_context;
    if (c == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->lock);
    free(c);
    *socket_context = NULL;
}

static watched *watched_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

void conn_deadline_busy(conn_deadline *w, struct MHD_Connection *connection, bool busy)
{
    watched *c = w != NULL ? watched_of(connection) : NULL;
    if (c == NULL)
        return;
    if (!busy)
        atomic_store_explicit(&c->deadline_ms, now_ms() + w->limit_ms, memory_order_relaxed);
    atomic_store_explicit(&c->busy, busy, memory_order_relaxed);
}

void conn_deadline_restart(conn_deadline *w, struct MHD_Connection *connection)
{
    watched *c = w != NULL ? watched_of(connection) : NULL;
    if (c == NULL)
        return;
    atomic_store_explicit(&c->deadline_ms, now_ms() + w->limit_ms, memory_order_relaxed);
    atomic_store_explicit(&c->busy, false, memory_order_relaxed);
}
