/*
 * log.c: JSON-lines logger on standard error (see log.h).
 *
 * The level lives in an atomic so that the hot path (a debug line that is filtered out)
 * costs one load and no lock. Formatting happens outside the lock; only the write(2) of the
 * finished line is serialised, so lines from different threads never interleave.
 */
#include "log.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int current_level = LV_LOG_INFO;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(lv_log_level level)
{
    atomic_store(&current_level, (int)level);
}

lv_log_level log_get_level(void)
{
    return (lv_log_level)atomic_load(&current_level);
}

bool log_enabled(lv_log_level level)
{
    return (int)level >= atomic_load(&current_level);
}

/* "2026-11-23T10:00:00.123Z" */
static void format_now(char buf[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000L);
}

static void write_all(const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* nowhere left to report a failing stderr */
        }
        data += n;
        len -= (size_t)n;
    }
}

void log_write(lv_log_level level, const char *message, const char *fields_fmt, ...)
{
    if (!log_enabled(level))
        return;
    char now[32];
    format_now(now);
    json_t *fields = NULL;
    if (fields_fmt != NULL) {
        json_error_t jerr;
        va_list ap;
        va_start(ap, fields_fmt);
        fields = json_vpack_ex(&jerr, 0, fields_fmt, ap);
        va_end(ap);
        if (fields == NULL) /* a programming error: keep the message, say what went wrong */
            fields = json_pack("{s:s}", "log_error", jerr.text);
    }
    json_t *line = json_pack("{s:s, s:s, s:s}", "time", now, "level", config_log_level_name(level),
                             "message", message);
    if (line == NULL) {
        json_decref(fields);
        return;
    }
    if (fields != NULL)
        json_object_set_new(line, "fields", fields);
    char *text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(line);
    if (text == NULL)
        return;
    /* Line and newline in one write(2): a copy, since json_dumps() memory belongs to
     * jansson's allocator. */
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (buf != NULL) {
        memcpy(buf, text, len);
        buf[len] = '\n';
        pthread_mutex_lock(&write_lock);
        write_all(buf, len + 1);
        pthread_mutex_unlock(&write_lock);
        free(buf);
    }
    free(text);
}
