/*
 * handler_pool.c: the threads that run slow handlers (see handler_pool.h). A queue of
 * requests, linked through http_request.next_queued, under one mutex; a thread sleeps on
 * the condition variable while the queue is empty.
 */
#include "http/handler_pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "http/request.h"
#include "log.h"

struct handler_pool {
    handler_pool_run_fn run;
    pthread_mutex_t lock;
    pthread_cond_t work;
    http_request *head, *tail; /* under lock */
    bool stopping;             /* under lock */
    unsigned n_threads;
    pthread_t *threads;
};

static void *pool_main(void *arg)
{
    handler_pool *pool = arg;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (pool->head == NULL && !pool->stopping)
            pthread_cond_wait(&pool->work, &pool->lock);
        http_request *req = pool->head;
        if (req == NULL)
            break; /* stopping, and nothing left to run */
        pool->head = req->next_queued;
        if (pool->head == NULL)
            pool->tail = NULL;
        req->next_queued = NULL;
        pthread_mutex_unlock(&pool->lock);
        pool->run(req);
        pthread_mutex_lock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

handler_pool *handler_pool_new(unsigned threads, handler_pool_run_fn run)
{
    if (threads == 0)
        threads = 1;
    handler_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL)
        return NULL;
    pool->threads = calloc(threads, sizeof *pool->threads);
    if (pool->threads == NULL) {
        free(pool);
        return NULL;
    }
    pool->run = run;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    for (; pool->n_threads < threads; pool->n_threads++)
        if (pthread_create(&pool->threads[pool->n_threads], NULL, pool_main, pool) != 0) {
            log_error("handler thread could not start", "{s:i}", "started", (int)pool->n_threads);
            handler_pool_free(pool);
            return NULL;
        }
    return pool;
}

bool handler_pool_submit(handler_pool *pool, http_request *req)
{
    pthread_mutex_lock(&pool->lock);
    bool taken = !pool->stopping;
    if (taken) {
        req->next_queued = NULL;
        if (pool->tail != NULL)
            pool->tail->next_queued = req;
        else
            pool->head = req;
        pool->tail = req;
        pthread_cond_signal(&pool->work);
    }
    pthread_mutex_unlock(&pool->lock);
    return taken;
}

void handler_pool_free(handler_pool *pool)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->n_threads; i++)
        pthread_join(pool->threads[i], NULL);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->work);
    free(pool->threads);
    free(pool);
}
