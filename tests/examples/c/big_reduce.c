#include "big_reduce.h"
#include "qa_check.h"
enum { N = 1000 };
static double a[N], b[N];
int main(void) {
    double dot[1] = {1e300}, l1[1] = {1e300};
    QA_FILL(a, N, qa_unit());
    QA_FILL(b, N, qa_unit());
    big_reduce(a, b, dot, l1);
    double s = 0, t = 0;
    for (int k = 0; k < N; k++) s += a[k] * b[k], t += fabs(a[k] - b[k]);
    qa_near("dot", 0, dot[0], s, 1e-12);
    qa_near("l1", 0, l1[0], t, 1e-12);
    return qa_done("big_reduce");
}
