#include "matvec.h"
#include "qa_check.h"
enum { N = 100, K = 13 };
static float A[N][K], x[K], y[N];
int main(void) {
    QA_FILL(&A[0][0], N * K, (float)qa_unit());
    QA_FILL(x, K, (float)qa_unit());
    QA_FILL(y, N, 1e30f);
    matvec(&A[0][0], x, y);
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int k = 0; k < K; k++) s += (double)A[i][k] * x[k];
        qa_near("y", i, y[i], s, 1e-5);
    }
    return qa_done("matvec");
}
