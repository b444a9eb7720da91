/*
 * unit_runner.h: the one main() shape of the Check suites in tests/unit/. Each suite file
 * defines its Suite and ends with UNIT_MAIN(make_suite). CK_FORK stays at Check's default
 * (fork per test), so a crash in one case fails that case instead of the whole program.
 */
#ifndef LVHCMON_UNIT_RUNNER_H
#define LVHCMON_UNIT_RUNNER_H

#include <check.h>
#include <stdlib.h>

/** Number of rows of a case table. */
#define N_CASES(table) ((int)(sizeof(table) / sizeof((table)[0])))

/** Runs @a suite verbosely; exit status 0 only when every case passed. */
static inline int unit_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define UNIT_MAIN(make_suite)                                                                      \
    int main(void)                                                                                 \
    {                                                                                              \
        return unit_run(make_suite());                                                             \
    }

#endif
