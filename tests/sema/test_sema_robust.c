/* Robustness of parse + sema + inst_print on broken input: takes .te files, checks thousands of
 * mutants of each (every truncation, each line deleted, adjacent lines swapped, numbers set to
 * 0 / -1 / huge, identifiers replaced by others of the file). Passes if nothing crashes, hangs
 * or leaks (under ASan), every rejected mutant reports an error, and a failed bind returns NULL.
 * `--sample N` checks every Nth mutant only (the sanitizer build: the same kinds, half the time).
 */
#include "lang/inst.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static FILE *devnull;
static long checked, accepted, seq, sample = 1;

static int check(const char *src, size_t len) {
    Diag d;
    diag_init(&d, "mutant.te", src, len);
    d.out = devnull;
    Arena *a = arena_new();
    Program *p = parse_program(a, &d, src, len);
    Inst *in = p ? sema_bind(a, &d, p, NULL, NULL, 0) : NULL;
    int bad = 0;
    if (in) {
        accepted++;
        inst_print(devnull, in);
        if (d.nerrors) bad = 1; /* an instance despite errors */
    } else if (d.nerrors == 0) {
        bad = 1; /* rejected silently */
    }
    arena_free(a);
    checked++;
    return bad;
}

/* src with [at, at+cut) replaced by rep */
static int check_edit(const char *src, size_t len, size_t at, size_t cut, const char *rep) {
    if (seq++ % sample) return 0;
    size_t rl = strlen(rep), n = len - cut + rl;
    char *buf = malloc(n + 1);
    memcpy(buf, src, at);
    memcpy(buf + at, rep, rl);
    memcpy(buf + at + rl, src + at + cut, len - at - cut);
    buf[n] = 0;
    int bad = check(buf, n);
    if (bad) fprintf(stderr, "bad result on mutant:\n%.*s\n", (int)n, buf);
    free(buf);
    return bad;
}

int main(int argc, char **argv) {
    devnull = fopen("/dev/null", "w");
    int bad = 0, first = 1;
    if (argc > 2 && strcmp(argv[1], "--sample") == 0) {
        sample = atol(argv[2]);
        if (sample < 1) {
            fprintf(stderr, "--sample needs a positive count\n");
            return 2;
        }
        first = 3;
    }
    for (int f = first; f < argc; f++) {
        FILE *in = fopen(argv[f], "rb");
        if (!in) {
            fprintf(stderr, "cannot read %s\n", argv[f]);
            return 2;
        }
        char src[16384];
        size_t len = fread(src, 1, sizeof src - 1, in);
        fclose(in);
        src[len] = 0;
        for (size_t n = 0; n <= len; n++) bad |= check_edit(src, len, n, len - n, "");
        /* lines: delete each, swap each with the next */
        size_t starts[1024];
        int nl = 0;
        for (size_t i = 0; i < len && nl < 1023; i++)
            if (i == 0 || src[i - 1] == '\n') starts[nl++] = i;
        starts[nl] = len;
        for (int l = 0; l < nl; l++) {
            bad |= check_edit(src, len, starts[l], starts[l + 1] - starts[l], "");
            if (l + 1 < nl) {
                size_t a = starts[l], b = starts[l + 1], c = starts[l + 2];
                char *sw = malloc(c - a + 2);
                memcpy(sw, src + b, c - b);
                size_t k = c - b;
                if (k && sw[k - 1] != '\n') sw[k++] = '\n';
                memcpy(sw + k, src + a, b - a);
                sw[k + b - a] = 0;
                bad |= check_edit(src, len, a, c - a, sw);
                free(sw);
            }
        }
        /* tokens: numbers and identifiers */
        const char *idents[16];
        size_t idlen[16];
        int nid = 0;
        for (size_t i = 0; i < len;) {
            if (isdigit((unsigned char)src[i]) && (i == 0 || !isalnum((unsigned char)src[i - 1]))) {
                size_t j = i;
                while (j < len && isdigit((unsigned char)src[j])) j++;
                static const char *const nums[] = {"0", "-1", "3", "99999999999", "2.5"};
                for (size_t q = 0; q < sizeof nums / sizeof *nums; q++)
                    bad |= check_edit(src, len, i, j - i, nums[q]);
                i = j;
            } else if (isalpha((unsigned char)src[i]) || src[i] == '_') {
                size_t j = i;
                while (j < len && (isalnum((unsigned char)src[j]) || src[j] == '_')) j++;
                bool dup = false;
                for (int q = 0; q < nid; q++)
                    dup = dup || (idlen[q] == j - i && memcmp(idents[q], src + i, j - i) == 0);
                if (!dup && nid < 16) {
                    idents[nid] = src + i;
                    idlen[nid++] = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        for (size_t i = 0; i < len;) {
            if (!(isalpha((unsigned char)src[i]) || src[i] == '_') ||
                (i > 0 && (isalnum((unsigned char)src[i - 1]) || src[i - 1] == '_'))) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < len && (isalnum((unsigned char)src[j]) || src[j] == '_')) j++;
            for (int q = 0; q < nid; q++) {
                char rep[128];
                snprintf(rep, sizeof rep, "%.*s", (int)idlen[q], idents[q]);
                bad |= check_edit(src, len, i, j - i, rep);
            }
            i = j;
        }
    }
    fclose(devnull);
    printf("%ld mutants checked, %ld accepted\n", checked, accepted);
    return bad;
}
