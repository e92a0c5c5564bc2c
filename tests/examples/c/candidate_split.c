#include "candidate_split.h"
#include "qa_check.h"
enum { N = 24, M = 10 };
static int32_t A[N][M], B[N][M], C[N][M];
int main(void) {
    QA_FILL(&A[0][0], N * M, (int32_t)qa_int(-100000, 100000));
    QA_FILL(&B[0][0], N * M, (int32_t)qa_int(-100000, 100000)); /* negative: % is floor modulo */
    QA_FILL(&C[0][0], N * M, 3);
    candidate_split(&A[0][0], &B[0][0], &C[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++)
            qa_eq("C", i * M + j, C[i][j], A[i][j] * 3 - qa_fmod(B[i][j], 7));
    return qa_done("candidate_split");
}
