/*
 * test_hooks.h: faults the test suite switches on to prove that it notices them. They exist
 * only in builds configured with LVHCMON_TEST_HOOKS (on by default with LVHCMON_SANITIZE,
 * the build scripts/test.sh makes); in every other build these functions do nothing and no
 * environment variable changes what a program does.
 *
 *   LVHCMON_TEST_LEAK_AT_EXIT=1   allocate a block at start and drop the only pointer to
 *                                 it, so LeakSanitizer reports a leak when the program exits
 *   LVHCMON_TEST_EXIT_STATUS=N    exit with status N (1..125) where the program would have
 *                                 exited 0
 *   LVHCMON_TEST_ROUND_DELAY_MS=N make every computation of a year's figures by the budget
 *                                 snapshots' listener take N ms (1..10000) more, as a year
 *                                 far larger than a test's would
 *
 * tests/integration/test_harness_strict.py turns each fault on and checks that the test
 * using the program fails, naming the fault; test_snapshot_coalescing.py uses the delay to
 * show that commits arriving during a round are taken in together by the next.
 */
#ifndef LVHCMON_TEST_HOOKS_H
#define LVHCMON_TEST_HOOKS_H

#ifdef LVHCMON_TEST_HOOKS

/** Applies the hooks that act at start (the leak). Call once, early in main(). */
void test_hooks_start(void);

/**
 * @param status the exit status the program is about to return
 * @return LVHCMON_TEST_EXIT_STATUS when it is set and @a status is 0, else @a status
 */
int test_hooks_exit_status(int status);

/** @return LVHCMON_TEST_ROUND_DELAY_MS, or 0 when it is not set (or not 1..10000). */
unsigned test_hooks_round_delay_ms(void);

#else

static inline void test_hooks_start(void) {}

static inline int test_hooks_exit_status(int status)
{
    return status;
}

static inline unsigned test_hooks_round_delay_ms(void)
{
    return 0;
}

#endif
#endif
