/*
 * minimal_mhd.c: the yardstick of bench/status_bench.sh: the least a libmicrohttpd server
 * can do to answer like GET /api/v1/status, in the same threading mode as lvhcmond
 * (internal polling thread, epoll, a thread pool of the same size).
 *
 * It answers every request with one fixed body of the given size, with the same headers
 * lvhcmond sends (Content-Type, ETag, Cache-Control, X-Content-Type-Options), and 304 when
 * If-None-Match names the ETag. The response is built per request from a persistent
 * buffer, as lvhcmond does from its snapshot, so the difference between the two is what
 * lvhcmond adds: routing, the token check, the snapshot reference.
 *
 *   minimal_mhd PORT BODY_BYTES THREADS
 *
 * Runs until SIGINT or SIGTERM. Built by status_bench.sh with
 *   cc -O2 -o minimal_mhd minimal_mhd.c $(pkg-config --cflags --libs libmicrohttpd)
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *body;
static size_t body_len;
static const char ETAG[] = "\"0123456789abcdef\"";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
    if (*con_cls == NULL) { /* first call: headers only, as lvhcmond's pipeline */
        *con_cls = c;
        return MHD_YES;
    }
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    int not_modified = inm != NULL && strcmp(inm, ETAG) == 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        not_modified ? 0 : body_len, not_modified ? (void *)"" : body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, ETAG);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (!not_modified)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret =
        MHD_queue_response(c, not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: minimal_mhd PORT BODY_BYTES THREADS\n");
        return 2;
    }
    unsigned port = (unsigned)atoi(argv[1]);
    body_len = (size_t)atol(argv[2]);
    unsigned threads = (unsigned)atoi(argv[3]);
    body = malloc(body_len + 1);
    if (body == NULL)
        return 1;
    /* A JSON-looking body of exactly body_len bytes. */
    memset(body, ' ', body_len);
    if (body_len >= 2) {
        body[0] = '{';
        body[body_len - 1] = '}';
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, (uint16_t)port, NULL, NULL,
        on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, 256u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "minimal_mhd: cannot listen on port %u\n", port);
        return 1;
    }
    printf("minimal_mhd listening on %u, body %zu bytes, %u threads\n", port, body_len, threads);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    free(body);
    return 0;
}
