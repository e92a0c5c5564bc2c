/* The driver's files: reading a whole input, and refusing outputs that would overwrite an
 * input (the template, the task list, the tuning log). */
#include "driver/files.h"
#include "compiler/out_file.h"
#include "driver/die.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reads the whole file; a directory, a missing or unreadable file is an error naming it. */
char *files_read(const char *path, size_t *len) {
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open '%s': %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) die("'%s' is a directory", path);
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more) die("'%s' is too large", path);
            buf = more;
        }
    }
    if (ferror(f)) die("cannot read '%s': %s", path, strerror(errno));
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Refuse, before any work, to write an output over the template or the tuning log (as cc refuses
 * `-o x.c x.c`): `-o mm.te` or `--log mm.o -o mm.o` used to replace them with the object. */
void files_check_outputs(const char *file, const char *log, const char *out, const char *header) {
    const char *outs[2] = {out, header};
    for (int i = 0; i < 2 && outs[i]; i++) {
        if (out_file_same(outs[i], file))
            die("output '%s' would overwrite the template '%s'", outs[i], file);
        if (log && out_file_same(outs[i], log))
            die("output '%s' would overwrite the tuning log '%s'", outs[i], log);
    }
}
