/*
 * config_int.h - what config.c (resolving) and config_table.c (the table
 * and its values) share.
 */
#ifndef RUSTNOTE_CONFIG_INT_H
#define RUSTNOTE_CONFIG_INT_H

struct config;

/* Set every row to its default; rows without one are "not set". */
void config_table_defaults(struct config *c);

#endif
