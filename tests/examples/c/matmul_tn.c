#include "matmul_tn.h"
#include "qa_check.h"
enum { N = 13, L = 7, M = 100 };
static float A[L][N], B[L][M], C[N][M];
int main(void) {
    QA_FILL(&A[0][0], L * N, (float)qa_unit());
    QA_FILL(&B[0][0], L * M, (float)qa_unit());
    QA_FILL(&C[0][0], N * M, 1e30f); /* every element must be written */
    matmul_tn(&A[0][0], &B[0][0], &C[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double s = 0;
            for (int k = 0; k < L; k++) s += (double)A[k][i] * B[k][j];
            qa_near("C", i * M + j, C[i][j], s, 1e-5);
        }
    return qa_done("matmul_tn");
}
