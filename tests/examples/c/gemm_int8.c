#include "gemm_int8.h"
#include "qa_check.h"
enum { N = 7, K = 100, M = 13 };
static int8_t A[N][K], W[M][K], q[N][M];
int main(void) {
    QA_FILL(&A[0][0], N * K, (int8_t)qa_int(-128, 127));
    QA_FILL(&W[0][0], M * K, (int8_t)qa_int(-128, 127));
    QA_FILL(&q[0][0], N * M, 99);
    gemm_int8(&A[0][0], &W[0][0], &q[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            int32_t s = 0;
            for (int k = 0; k < K; k++) s += (int32_t)A[i][k] * (int32_t)W[j][k];
            int64_t v = qa_fdiv(s, 64);
            v = v > 127 ? 127 : v < -128 ? -128 : v;
            qa_eq("q", i * M + j, q[i][j], v);
        }
    return qa_done("gemm_int8");
}
