/*
 * process_guard.h: what both programs do first, to keep the personal data they handle
 * (clear BSNs in memory, for a moment) inside the process.
 *
 *   - no core dumps: prctl(PR_SET_DUMPABLE, 0) and RLIMIT_CORE 0, so a crash writes no
 *     image of memory to disk (and other processes of the same user cannot ptrace it or
 *     read its /proc/PID/mem); the systemd unit says LimitCORE=0 as well
 *   - JSON trees are wiped when freed: jansson's allocator is given a free function that
 *     zeroes the block first (lib/wipe.h), so the strings of a parsed submission (BSNs
 *     included) do not linger in freed memory
 */
#ifndef LVHCMON_PROCESS_GUARD_H
#define LVHCMON_PROCESS_GUARD_H

#include <stdbool.h>

/**
 * Applies the guards. Call first thing in main(), before any thread or JSON value exists.
 * @return false when a guard could not be set (the caller refuses to run: it says why on
 *         standard error)
 */
bool process_guard(void);

/** @return whether the kernel would dump this process's core now (0: no), as it says. */
int process_dumpable(void);

#endif
