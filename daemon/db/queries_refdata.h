/*
 * queries_refdata.h: loading the reference data tables into a lib/ refdata set, the form
 * validation reads.
 */
#ifndef LVHCMON_QUERIES_REFDATA_H
#define LVHCMON_QUERIES_REFDATA_H

#include "db/db_conn.h"
#include <stdbool.h>
#include <stddef.h>

#include "refdata.h"

/**
 * @return a sealed refdata set the caller owns (refdata_free), or NULL with a reason in
 *         @a err (the connection may then be bad: check db_conn_is_bad).
 */
refdata *refdata_load_db(db_conn *conn, char *err, size_t err_size);

#endif
