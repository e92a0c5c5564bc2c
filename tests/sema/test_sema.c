/* Test driver for sema: parses FILE, binds it with -t/-D like `tec --check`, prints the
 * instance (inst_print) to stdout. Exit 0 on success, 1 on a user error or an unreadable file, 2 on
 * bad usage. */
#include "lang/inst.h"
#include "tests/lib/testlib.h"
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *path = NULL, *tname = NULL;
    Define defs[64];
    int ndefs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-t") == 0 && i + 1 < argc) {
            tname = argv[++i];
        } else if (strncmp(a, "-D", 2) == 0 && ndefs < 64) {
            const char *kv = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "");
            const char *eq = strchr(kv, '=');
            if (!eq) {
                fprintf(stderr, "test_sema: -D needs NAME=VALUE\n");
                return 2;
            }
            defs[ndefs++] = (Define){strndup(kv, (size_t)(eq - kv)), eq + 1};
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "usage: test_sema FILE [-t NAME] [-D NAME=VALUE]...\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: test_sema FILE [-t NAME] [-D NAME=VALUE]...\n");
        return 2;
    }
    Arena *a = arena_new();
    Diag d;
    Inst *in = test_bind_file(a, &d, path, tname, defs, ndefs);
    if (in) inst_print(stdout, in);
    int rc = in ? 0 : 1;
    arena_free(a);
    for (int i = 0; i < ndefs; i++) free((char *)defs[i].name);
    return rc;
}
