/* The driver's files: a whole input read into memory, and the check that no output overwrites
 * an input. Errors end the run (driver/die.h). */
#ifndef TEC_FILES_H
#define TEC_FILES_H
#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated (*len without the NUL); a directory, a missing or unreadable
 * file is an error naming it. Free with free(). */
char *files_read(const char *path, size_t *len);
/* Refuse, before any work, to write out or header (may be NULL) over the input file or the
 * tuning log (may be NULL), as cc refuses `-o x.c x.c`. */
void files_check_outputs(const char *file, const char *log, const char *out, const char *header);
#endif
