/* Output files written whole or not at all, the one rule every layer uses: the bytes go to a
 * temporary file in the output's folder, renamed over the output once complete; any failure
 * removes the temporary and gives an error naming the output ("cannot write 'PATH': why"). */
#ifndef TEC_OUT_FILE_H
#define TEC_OUT_FILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct OutFile {
    const char *path; /* the output */
    char *tmp;        /* the temporary beside it */
    FILE *f;          /* write the contents here */
} OutFile;

/* Opens the temporary for path. False with err set (path a directory, its folder missing or
 * not writable); then there is nothing to commit or abort. */
bool out_file_open(OutFile *o, const char *path, char *err, size_t errlen);
/* Closes the temporary and renames it over the output (with the permissions a new file gets).
 * False with err set, the temporary removed, when anything written or the rename failed. */
bool out_file_commit(OutFile *o, char *err, size_t errlen);
/* Gives up: closes and removes the temporary. */
void out_file_abort(OutFile *o);
/* The whole cycle for bytes in memory. */
bool out_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen);
/* True when a and b name the same file (textually, or the same inode when both exist): an
 * output that would replace an input is refused before any work, as `cc -o x.c x.c` is. */
bool out_file_same(const char *a, const char *b);
#endif
