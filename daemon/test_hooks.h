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
 *
 * tests/integration/test_harness_strict.py turns each on and checks that the test using
 * the program fails, naming the fault.
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

#else

static inline void test_hooks_start(void) {}

static inline int test_hooks_exit_status(int status)
{
    return status;
}

#endif
#endif
