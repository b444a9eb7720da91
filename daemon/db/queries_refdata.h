/*
 * queries_refdata.h: loading the reference data tables into a lib/ refdata set, the form
 * validation reads (and the provider list a budget snapshot shows).
 */
#ifndef LVHCMON_QUERIES_REFDATA_H
#define LVHCMON_QUERIES_REFDATA_H

#include "db/db_conn.h"
#include "refdata.h"

/**
 * Loads every reference table.
 * @param out receives a sealed refdata set the caller owns (refdata_free()) on DB_OK
 * @return DB_OK, or the failure (db_conn_error() says which table)
 */
db_status refdata_load_db(db_conn *conn, refdata **out);

#endif
