/*
 * Ordered schema migrations for the SQLite store (NULL-terminated).
 */
#ifndef ATTEST_STORE_SCHEMA_H
#define ATTEST_STORE_SCHEMA_H

extern const char *const attest_schema_migrations[];

#endif
