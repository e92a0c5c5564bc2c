#include "gemm_int32.h"
#include "qa_check.h"
enum { N = 12, L = 7, M = 20 };
static int32_t A[N][L], B[L][M], C[N][M];
int main(void) {
    /* large values: the sum wraps, as int32 arithmetic in TVM does */
    QA_FILL(&A[0][0], N * L, (int32_t)qa_int(-2000000000, 2000000000));
    QA_FILL(&B[0][0], L * M, (int32_t)qa_int(-1000, 1000));
    QA_FILL(&C[0][0], N * M, 12345);
    gemm_int32(&A[0][0], &B[0][0], &C[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            uint32_t s = 0;
            for (int k = 0; k < L; k++) s += (uint32_t)A[i][k] * (uint32_t)B[k][j];
            qa_eq("C", i * M + j, C[i][j], (int32_t)s);
        }
    return qa_done("gemm_int32");
}
