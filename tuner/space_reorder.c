/* Reorder knobs: AutoTVM's ReorderSpace order (identity, all, interval_all, candidate), the
 * k-th permutation computed directly so that no list of n! entities is ever built. */
#include <string.h>

#include "tuner/space_knob.h"

/* ---- Reorder: identity, all (itertools.permutations order), interval_all (permutations of
 * positions [ib, ie), the rest fixed), candidate (the listed rows). ---- */

bool space_reorder_init(Diag *d, KnobSpace *ks) {
    const Knob *k = ks->knob;
    if (!space_knob_axes(d, ks, "reorder")) return false;
    switch (k->policy) {
    case POL_IDENTITY:
        ks->pb = ks->pe = 0;
        break;
    case POL_ALL:
        ks->pb = 0, ks->pe = k->naxes;
        break;
    case POL_INTERVAL_ALL:
        if (k->ib < 0 || k->ib > k->ie || k->ie > k->naxes)
            return diag_error(d, k->loc,
                              "reorder knob '%s': interval (%d, %d) is not within its %d axes",
                              k->name, k->ib, k->ie, k->naxes);
        ks->pb = k->ib, ks->pe = k->ie;
        break;
    case POL_CANDIDATE:
        ks->rows = k->cand;
        ks->len = k->ncand;
        return true;
    default:
        TEC_BUG("reorder knob '%s' with policy %s", k->name, policy_name(k->policy));
    }
    ks->len = 1;
    for (int n = 2; n <= ks->pe - ks->pb; n++) ks->len *= n; /* 16! fits in int64 */
    return true;
}

static int64_t factorial(int n) {
    int64_t f = 1;
    for (int i = 2; i <= n; i++) f *= i;
    return f;
}

void space_reorder_get(const KnobSpace *ks, int64_t i, KnobVal *v) {
    int n = ks->nvals;
    v->n = n;
    if (ks->knob->policy == POL_CANDIDATE) {
        memcpy(v->v, ks->rows + i * n, (size_t)n * sizeof *v->v);
        return;
    }
    for (int p = 0; p < n; p++) v->v[p] = p;
    /* Lexicographic permutations of [pb, pe): digit p picks among the unused positions, with
     * (remaining - 1)! permutations behind each choice. */
    int64_t rest[KNOB_MAX_VALS];
    int nrest = ks->pe - ks->pb;
    for (int j = 0; j < nrest; j++) rest[j] = ks->pb + j;
    for (int p = ks->pb; p < ks->pe; p++) {
        int64_t f = factorial(nrest - 1);
        int c = (int)(i / f);
        i %= f;
        v->v[p] = rest[c];
        memmove(rest + c, rest + c + 1, (size_t)(nrest - c - 1) * sizeof *rest);
        nrest--;
    }
}

int64_t space_reorder_index(const KnobSpace *ks, const KnobVal *v) {
    int n = ks->nvals;
    if (v->n != n) return -1;
    if (ks->knob->policy == POL_CANDIDATE) {
        for (int64_t i = 0; i < ks->len; i++)
            if (!memcmp(ks->rows + i * n, v->v, (size_t)n * sizeof *v->v)) return i;
        return -1;
    }
    for (int p = 0; p < n; p++)
        if ((p < ks->pb || p >= ks->pe) && v->v[p] != p) return -1;
    bool used[KNOB_MAX_VALS] = {0};
    int64_t index = 0;
    for (int p = ks->pb; p < ks->pe; p++) {
        int64_t x = v->v[p];
        if (x < ks->pb || x >= ks->pe || used[x]) return -1;
        int smaller = 0; /* unused candidates before x */
        for (int y = ks->pb; y < x; y++) smaller += !used[y];
        used[x] = true;
        index += smaller * factorial(ks->pe - p - 1);
    }
    return index;
}
