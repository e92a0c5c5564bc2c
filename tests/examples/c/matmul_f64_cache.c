#include "matmul_f64_cache.h"
#include "qa_check.h"
enum { N = 13, L = 17, M = 7 };
static double A[N][L], B[L][M], C[N][M];
int main(void) {
    QA_FILL(&A[0][0], N * L, qa_unit());
    QA_FILL(&B[0][0], L * M, qa_unit());
    QA_FILL(&C[0][0], N * M, 1e300);
    matmul_f64_cache(&A[0][0], &B[0][0], &C[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double s = 0;
            for (int k = 0; k < L; k++) s += A[i][k] * B[k][j];
            qa_near("C", i * M + j, C[i][j], s, 1e-12);
        }
    return qa_done("matmul_f64_cache");
}
