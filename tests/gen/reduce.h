/* A simple test-case reducer for templates: deletes schedule blocks, knobs with their uses and
 * single lines, one at a time, while the failure persists. */
#ifndef TEC_GEN_REDUCE_H
#define TEC_GEN_REDUCE_H
#include <stdbool.h>

/* True when src still shows the failure (an invalid template does not). */
typedef bool (*StillFails)(const char *src, void *ctx);
/* The reduced template, malloc'd. */
char *reduce_template(const char *src, StillFails fails, void *ctx);
#endif
