/*
 * test_hooks.c: the faults of test_hooks.h, compiled only with LVHCMON_TEST_HOOKS.
 */
#include "test_hooks.h"

#ifdef LVHCMON_TEST_HOOKS

#include <stdlib.h>
#include <string.h>

#include "log.h"

#define LEAK_BYTES 4096

/* Volatile, so that the compiler keeps the allocation and the store that forgets it. */
static void *volatile leaked;

void test_hooks_start(void)
{
    const char *leak = getenv("LVHCMON_TEST_LEAK_AT_EXIT");
    if (leak == NULL || strcmp(leak, "1") != 0)
        return;
    leaked = malloc(LEAK_BYTES);
    if (leaked != NULL)
        memset(leaked, 0x5a, LEAK_BYTES);
    leaked = NULL;
    log_warning("test hook: leaking a block on purpose", "{s:i}", "bytes", LEAK_BYTES);
}

int test_hooks_exit_status(int status)
{
    const char *text = getenv("LVHCMON_TEST_EXIT_STATUS");
    if (status != 0 || text == NULL || *text == '\0')
        return status;
    char *end = NULL;
    long wanted = strtol(text, &end, 10);
    if (*end != '\0' || wanted < 1 || wanted > 125)
        return status;
    log_warning("test hook: exiting with a changed status", "{s:i}", "status", (int)wanted);
    return (int)wanted;
}

unsigned test_hooks_round_delay_ms(void)
{
    const char *text = getenv("LVHCMON_TEST_ROUND_DELAY_MS");
    if (text == NULL || *text == '\0')
        return 0;
    char *end = NULL;
    long ms = strtol(text, &end, 10);
    return *end == '\0' && ms >= 1 && ms <= 10000 ? (unsigned)ms : 0;
}

#endif
