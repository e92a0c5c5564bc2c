#include "cache_levels.h"
#include "qa_check.h"
enum { N = 20, L = 13, M = 24 };
static float A[N][L], B[L][M], bias[M], D[N][M];
int main(void) {
    QA_FILL(&A[0][0], N * L, (float)qa_unit());
    QA_FILL(&B[0][0], L * M, (float)qa_unit());
    QA_FILL(bias, M, (float)qa_unit());
    QA_FILL(&D[0][0], N * M, 1e30f);
    cache_levels(&A[0][0], &B[0][0], bias, &D[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double s = 0;
            for (int k = 0; k < L; k++) s += (double)A[i][k] * B[k][j];
            qa_near("D", i * M + j, D[i][j], s + bias[j], 1e-5);
        }
    return qa_done("cache_levels");
}
