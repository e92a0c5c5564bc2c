/* Output files written whole or not at all: a mkstemp temporary beside the output, filled by the
 * caller, then closed, given the mode a new file would get, and renamed over the output. */
#include "compiler/out_file.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail(const char *path, int why, char *err, size_t errlen) {
    if (err && errlen) snprintf(err, errlen, "cannot write '%s': %s", path, strerror(why));
    return false;
}

bool out_file_open(OutFile *o, const char *path, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    struct stat st;
    size_t n = strlen(path);
    if ((n > 0 && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        if (err && errlen) snprintf(err, errlen, "cannot write '%s': it is a directory", path);
        return false;
    }
    char *tmp = xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int why = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return fail(path, why, err, errlen);
    }
    *o = (OutFile){.path = path, .tmp = tmp, .f = f};
    return true;
}

bool out_file_commit(OutFile *o, char *err, size_t errlen) {
    bool ok = !ferror(o->f);
    int why = ok ? 0 : (errno ? errno : EIO);
    if (fclose(o->f) != 0 && ok) ok = false, why = errno;
    o->f = NULL;
    if (ok) { /* mkstemp makes 0600 files; an output is an ordinary file */
        mode_t um = umask(0);
        umask(um);
        chmod(o->tmp, 0666 & ~um);
        if (rename(o->tmp, o->path) != 0) ok = false, why = errno;
    }
    if (!ok) unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return ok || fail(o->path, why, err, errlen);
}

void out_file_abort(OutFile *o) {
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    o->f = NULL;
    o->tmp = NULL;
}

bool out_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen) {
    OutFile o;
    if (!out_file_open(&o, path, err, errlen)) return false;
    fwrite(data, 1, len, o.f); /* a short write sets the error flag commit reads */
    return out_file_commit(&o, err, errlen);
}

bool out_file_same(const char *a, const char *b) {
    struct stat sa, sb;
    if (!strcmp(a, b)) return true;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}
