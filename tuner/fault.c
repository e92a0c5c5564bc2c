/* Parses TEC_TEST_FAULT into per-kind index lists; workers ask fault_at before acting. */
#include "tuner/fault.h"
#include <stdlib.h>
#include <string.h>

void fault_parse(Faults *f, const char *spec) {
    static const char *names[FAULT_NKINDS] = {"crash",     "hang", "wrong", "buildcrash",
                                              "buildhang", "slow", "lucky"};
    memset(f, 0, sizeof *f);
    if (!spec) return;
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        if (colon) {
            size_t klen = (size_t)(colon - p);
            char *num_end;
            long long v = strtoll(colon + 1, &num_end, 10);
            for (int k = 0; k < FAULT_NKINDS; k++)
                if (strlen(names[k]) == klen && memcmp(p, names[k], klen) == 0 &&
                    num_end == p + len && num_end != colon + 1 && f->n[k] < FAULT_MAX)
                    f->idx[k][f->n[k]++] = v;
        }
        p += len;
        if (*p == ',') p++;
    }
}

bool fault_at(const Faults *f, FaultKind k, int64_t index) {
    for (int i = 0; i < f->n[k]; i++)
        if (f->idx[k][i] == index) return true;
    return false;
}
