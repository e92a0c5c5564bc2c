#include "misaligned.h"
#include "qa_check.h"
#include <string.h>
enum { N = 13, M = 64 };
/* n elements of size sz, starting one element past a 64-byte boundary */
static void *odd(size_t n, size_t sz) {
    char *p = aligned_alloc(64, (n + 1) * sz + 64);
    return p + sz;
}
int main(void) {
    float *A = odd(N * M, 4), *B = odd(M * M, 4), *C = odd(N * M, 4);
    double *D = odd(N * M, 8), *E = odd(N * M, 8);
    int16_t *S = odd(N * M, 2), *F = odd(N * M, 2);
    QA_FILL(A, N * M, (float)qa_unit());
    QA_FILL(B, M * M, (float)qa_unit());
    QA_FILL(D, N * M, qa_unit());
    QA_FILL(S, N * M, (int16_t)qa_int(-1000, 1000));
    QA_FILL(C, N * M, 1e30f);
    misaligned(A, B, D, S, C, E, F);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double s = 0;
            for (int k = 0; k < M; k++) s += (double)A[i * M + k] * B[k * M + j];
            qa_near("C", i * M + j, C[i * M + j], s, 1e-5);
            qa_near("E", i * M + j, E[i * M + j], D[i * M + j] * 2.0 + S[i * M + j], 1e-15);
            qa_eq("F", i * M + j, F[i * M + j], (int16_t)(S[i * M + j] * 3 + 1));
        }
    return qa_done("misaligned");
}
