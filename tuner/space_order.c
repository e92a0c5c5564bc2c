/* Reorder and annotate knobs: AutoTVM's ReorderSpace and AnnotateSpace orders, computed by
 * ranking (k-th permutation, k-th annotation) so that no list of entities is ever built. */
#include <string.h>

#include "tuner/space_knob.h"

/* ---- Reorder: identity, all (itertools.permutations order), interval_all (permutations of
 * positions [ib, ie), the rest fixed), candidate (the listed rows). ---- */

bool space_reorder_init(Diag *d, KnobSpace *ks) {
    const Knob *k = ks->knob;
    if (k->naxes < 1 || k->naxes > CONFIG_MAX_VALS)
        return diag_error(d, k->loc, "reorder knob '%s' needs 1 to %d axes, not %d", k->name,
                          CONFIG_MAX_VALS, k->naxes);
    ks->nvals = k->naxes;
    switch (k->policy) {
    case POL_IDENTITY: ks->pb = ks->pe = 0; break;
    case POL_ALL: ks->pb = 0, ks->pe = k->naxes; break;
    case POL_INTERVAL_ALL:
        if (k->ib < 0 || k->ib > k->ie || k->ie > k->naxes)
            return diag_error(d, k->loc, "reorder knob '%s': interval (%d, %d) is not within its %d axes",
                              k->name, k->ib, k->ie, k->naxes);
        ks->pb = k->ib, ks->pe = k->ie;
        break;
    case POL_CANDIDATE:
        ks->rows = k->cand;
        ks->len = k->ncand;
        return true;
    default: TEC_BUG("reorder knob '%s' with policy %s", k->name, policy_name(k->policy));
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
    int64_t rest[CONFIG_MAX_VALS];
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
    bool used[CONFIG_MAX_VALS] = {0};
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

/* ---- Annotate: every axis tries the policy's options ("try" read as "none": try_unroll_vec
 * is none, unroll, vec); all assignments with the last axis fastest, keeping those with at most
 * one vec. ---- */

/* Assignments of n axes with at most `vecs` (0 or 1) vec. */
static int64_t ann_count(const KnobSpace *ks, int n, int vecs) {
    int64_t q = ks->vec_opt < 0 ? ks->nopts : ks->nopts - 1, qn = 1, qn1 = 1;
    for (int j = 0; j < n; j++) qn1 = qn, qn *= q;
    if (ks->vec_opt < 0 || !vecs) return qn;
    return qn + (n > 0 ? n * qn1 : 0);
}

bool space_annotate_init(Diag *d, KnobSpace *ks) {
    const Knob *k = ks->knob;
    if (k->naxes < 1 || k->naxes > CONFIG_MAX_VALS)
        return diag_error(d, k->loc, "annotate knob '%s' needs 1 to %d axes, not %d", k->name,
                          CONFIG_MAX_VALS, k->naxes);
    ks->nvals = k->naxes;
    ks->opts[0] = ANN_NONE;
    ks->nopts = 2;
    ks->vec_opt = -1;
    switch (k->policy) {
    case POL_TRY_UNROLL: ks->opts[1] = ANN_UNROLL; break;
    case POL_TRY_VEC: ks->opts[1] = ANN_VEC, ks->vec_opt = 1; break;
    case POL_TRY_UNROLL_VEC:
        ks->opts[1] = ANN_UNROLL, ks->opts[2] = ANN_VEC, ks->vec_opt = 2, ks->nopts = 3;
        break;
    default: TEC_BUG("annotate knob '%s' with policy %s", k->name, policy_name(k->policy));
    }
    ks->len = ann_count(ks, k->naxes, 1);
    return true;
}

void space_annotate_get(const KnobSpace *ks, int64_t i, KnobVal *v) {
    int n = ks->nvals, vecs = 1;
    v->n = n;
    for (int a = 0; a < n; a++)
        for (int o = 0; o < ks->nopts; o++) {
            bool vec = o == ks->vec_opt;
            if (vec && !vecs) continue;
            int64_t c = ann_count(ks, n - a - 1, vecs - vec);
            if (i < c) {
                v->v[a] = ks->opts[o];
                vecs -= vec;
                break;
            }
            i -= c;
        }
}

int64_t space_annotate_index(const KnobSpace *ks, const KnobVal *v) {
    int n = ks->nvals, vecs = 1;
    if (v->n != n) return -1;
    int64_t index = 0;
    for (int a = 0; a < n; a++) {
        int o = 0;
        while (o < ks->nopts && ks->opts[o] != v->v[a]) o++;
        if (o == ks->nopts) return -1;
        bool vec = o == ks->vec_opt;
        if (vec && !vecs) return -1;
        for (int e = 0; e < o; e++)
            if (e != ks->vec_opt || vecs) index += ann_count(ks, n - a - 1, vecs - (e == ks->vec_opt));
        vecs -= vec;
    }
    return index;
}
