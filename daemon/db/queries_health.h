/*
 * queries_health.h: what /readyz asks the database.
 */
#ifndef LVHCMON_QUERIES_HEALTH_H
#define LVHCMON_QUERIES_HEALTH_H

#include "db/db_conn.h"

/**
 * The schema version: the newest migration applied (0 on a database without one).
 * @return DB_OK with @a version set, or the failure
 */
db_status hq_schema_version(db_conn *db, int *version);

#endif
