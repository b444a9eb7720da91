/*
 * bsn.c: the BSN 11-test (bsn_valid, declared in validate.h). Kept apart from the line
 * rules because it is the one place a clear BSN is read digit by digit.
 *
 * The test: with digits d1..d9, 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11.
 * 000000000 passes that sum but is no one's number, so it is refused explicitly.
 */
#include "validate.h"

#define BSN_DIGITS 9

bool bsn_valid(const char *bsn)
{
    if (!bsn)
        return false;
    int sum = 0;
    bool any_nonzero = false;
    /* Stops at the first non-digit, so a short string is refused at its NUL and nothing
     * past it is read. */
    for (int i = 0; i < BSN_DIGITS; i++) {
        if (bsn[i] < '0' || bsn[i] > '9')
            return false;
        int digit = bsn[i] - '0';
        int weight = i < BSN_DIGITS - 1 ? BSN_DIGITS - i : -1;
        sum += weight * digit;
        any_nonzero = any_nonzero || digit != 0;
    }
    return bsn[BSN_DIGITS] == '\0' && any_nonzero && sum % 11 == 0;
}
