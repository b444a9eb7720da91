/*
 * data_dir.c: the default folders for sql/ and web/ (see data_dir.h).
 */
#include "data_dir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set by daemon/CMakeLists.txt; the fallbacks keep the file compilable on its own. */
#ifndef LVHCMON_BUILD_BIN_DIR
#define LVHCMON_BUILD_BIN_DIR ""
#endif
#ifndef LVHCMON_SOURCE_DATA_DIR
#define LVHCMON_SOURCE_DATA_DIR "."
#endif
#ifndef LVHCMON_BIN_TO_DATA
#define LVHCMON_BIN_TO_DATA "../share/lvhcmon"
#endif
#ifndef LVHCMON_INSTALL_DATA_DIR
#define LVHCMON_INSTALL_DATA_DIR "/usr/local/share/lvhcmon"
#endif

/* @return a new string "a/b". */
static char *join(const char *a, const char *b)
{
    size_t len = strlen(a) + 1 + strlen(b) + 1;
    char *out = malloc(len);
    if (out != NULL)
        snprintf(out, len, "%s/%s", a, b);
    return out;
}

/* Writes the folder of the running program (symlinks resolved) into @p out.
 * @return false when it cannot be known. */
static bool program_dir(char out[PATH_MAX])
{
    ssize_t n = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (n <= 0)
        return false;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    return true;
}

char *data_dir_dup(const char *name)
{
    char dir[PATH_MAX];
    if (!program_dir(dir))
        return join(LVHCMON_INSTALL_DATA_DIR, name);
    char build_dir[PATH_MAX];
    /* Compare real paths: the build folder may have been named through a symlink. */
    if (LVHCMON_BUILD_BIN_DIR[0] != '\0' && realpath(LVHCMON_BUILD_BIN_DIR, build_dir) != NULL &&
        strcmp(build_dir, dir) == 0)
        return join(LVHCMON_SOURCE_DATA_DIR, name);
    char *data = join(dir, LVHCMON_BIN_TO_DATA);
    if (data == NULL)
        return NULL;
    /* Tidy "/usr/local/bin/../share/lvhcmon" when the folder exists; else keep it as it is,
     * so an error names the path that was looked for. */
    char real[PATH_MAX];
    char *out = join(realpath(data, real) != NULL ? real : data, name);
    free(data);
    return out;
}
