"""runner.py: runs one integration test module for ctest, and says with its exit status what
happened, so that nothing but a real pass reads as a pass:

    0   every test ran and passed
    1   a test failed or raised, a cleanup failed (the harness's checks of the programs it
        started end there), or no test ran at all
    77  nothing failed, but at least one test was skipped: ctest shows the module as
        skipped (SKIP_RETURN_CODE 77 in tests/CMakeLists.txt), listing the reasons

Python's own `python3 -m unittest` exits 0 when tests are skipped; that is why the suite
does not call it directly. Expected failures (unittest.expectedFailure) count as failures:
a test that is known to fail is fixed or removed, not kept as a pass.

    usage: python3 runner.py test_module [-k PATTERN]
"""

import argparse
import sys
import unittest

SKIPPED = 77


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="test module name, e.g. test_readiness")
    parser.add_argument("-k", dest="patterns", action="append", default=None,
                        help="run only tests whose name matches (as unittest -k)")
    args = parser.parse_args(argv)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [p if "*" in p else f"*{p}*" for p in args.patterns]
    suite = loader.loadTestsFromName(args.module)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)

    bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    if result.expectedFailures:
        print(f"runner: {len(result.expectedFailures)} expected failure(s) count as "
              "failures", file=sys.stderr)
        bad += len(result.expectedFailures)
    if bad:
        return 1
    if result.skipped:
        # A class skipped in setUpClass counts once, without running its tests.
        print(f"runner: SKIPPED in {args.module} ({result.testsRun} test(s) ran):",
              file=sys.stderr)
        for test, reason in result.skipped:
            print(f"  {test.id()}: {reason}", file=sys.stderr)
        return SKIPPED
    if result.testsRun == 0:
        print(f"runner: no test ran in {args.module}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
