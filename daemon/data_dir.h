/*
 * data_dir.h: where the programs find the files they ship with (sql/ and web/) when the
 * configuration does not name them ([database] sql_dir, [server] web_dir unset).
 *
 * Two places, told apart by where the running program is:
 *  - run from its build tree (the program sits in the folder CMake built it in,
 *    LVHCMON_BUILD_BIN_DIR): the source tree's sql/ and web/, so a developer's edits show at
 *    once and nothing needs installing;
 *  - installed anywhere else: the installation's own data folder, found relative to the
 *    program (LVHCMON_BIN_TO_DATA, e.g. ../share/lvhcmon from bin/, as GNUInstallDirs lays
 *    it out), so an installation keeps working when its prefix is staged (DESTDIR) or moved.
 * Only when the program cannot tell where it is (no /proc) does it fall back to the
 * installation prefix compiled in (LVHCMON_INSTALL_DATA_DIR).
 */
#ifndef LVHCMON_DATA_DIR_H
#define LVHCMON_DATA_DIR_H

/**
 * @param name a folder the project ships: "sql" or "web"
 * @return a new string, the absolute path of that folder for this program, owned by the
 *         caller (free()); NULL when out of memory
 */
char *data_dir_dup(const char *name);

#endif
