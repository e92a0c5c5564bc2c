#include "int_semantics.h"
#include "qa_check.h"
enum { N = 37 };
static int32_t a[N], b[N], d1[N], d2[N], d3[N], tr[N];
static int8_t c[N], w8[N], ab[N];
static uint8_t u[N];
static int16_t mix[N];
static float f[N];
int main(void) {
    QA_FILL(a, N, (int32_t)qa_int(-1000, 1000));
    QA_FILL(b, N, (int32_t)(qa_int(1, 9) * (qa_next() & 1 ? 1 : -1)));
    QA_FILL(c, N, (int8_t)qa_int(-128, 127));
    c[0] = -128;
    QA_FILL(u, N, (uint8_t)qa_int(0, 255));
    QA_FILL(f, N, (float)(20 * qa_unit()));
    int_semantics(a, b, c, u, f, d1, d2, d3, w8, ab, mix, tr);
    for (int i = 0; i < N; i++) {
        qa_eq("d1", i, d1[i], qa_fdiv(a[i], -3) + qa_fmod(a[i], -3) * 100);
        qa_eq("d2", i, d2[i], qa_fdiv(a[i], 7) - qa_fmod(a[i], 7));
        qa_eq("d3", i, d3[i], qa_fdiv(a[i], b[i]) * 1000 + qa_fmod(a[i], b[i]));
        qa_eq("w8", i, w8[i], (int8_t)(uint8_t)(c[i] * 3 + 100));
        qa_eq("ab", i, ab[i], (int8_t)(uint8_t)(c[i] < 0 ? -c[i] : c[i]));
        qa_eq("mix", i, mix[i], u[i] - c[i]);
        qa_eq("tr", i, tr[i], (int32_t)f[i] * 10 + (int32_t)floorf(f[i]));
    }
    return qa_done("int_semantics");
}
