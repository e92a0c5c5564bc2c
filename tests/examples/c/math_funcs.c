#include "math_funcs.h"
#include "qa_check.h"
enum { N = 100 };
static float x[N], gelu[N], misc[N];
int main(void) {
    QA_FILL(x, N, (float)(4 * qa_unit()));
    QA_FILL(gelu, N, 1e30f);
    QA_FILL(misc, N, 1e30f);
    math_funcs(x, gelu, misc);
    for (int i = 0; i < N; i++) {
        double v = x[i];
        qa_near("gelu", i, gelu[i], 0.5 * v * (1 + tanh(0.7978845608 * (v + 0.044715 * pow(v, 3)))),
                1e-5);
        qa_near("misc", i, misc[i],
                log(1 + exp(v)) + floorf(x[i] * 3.0f) - ceilf(x[i] * 2.0f) + fabs(v) +
                    sqrt(fabs(v)),
                1e-5);
    }
    return qa_done("math_funcs");
}
