/**
 * The database as the rest of Roster meets it: a probe that knows whether it answers, a DataSource that fails fast
 * while it does not, and the driver's timeouts (docs/operations.md, "When the database is unreachable").
 */
package dev.roster.shared.database;
