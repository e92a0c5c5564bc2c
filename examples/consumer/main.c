/* The consumer project's program: calls the kernels tec_add_kernel built (matmul from a tuning
 * log, softmax from a config), compares them with plain C loops and prints whether they agree. */
#include "mm.h"
#include "sm.h"
#include <math.h>
#include <stdio.h>

enum { N = 64, L = 64, M = 64, SN = 32, SM = 100 };
static float A[N][L], B[L][M], C[N][M], X[SN][SM], Y[SN][SM];

static int check_matmul(void) {
    for (int i = 0; i < N; i++)
        for (int k = 0; k < L; k++) A[i][k] = (float)((i * 7 + k * 3) % 11) - 5;
    for (int k = 0; k < L; k++)
        for (int j = 0; j < M; j++) B[k][j] = (float)((k * 5 + j) % 13) - 6;
    matmul(&A[0][0], &B[0][0], &C[0][0]);
    double worst = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            float want = 0; /* small integers: the sums are exact in float */
            for (int k = 0; k < L; k++) want += A[i][k] * B[k][j];
            worst = fmax(worst, fabs(C[i][j] - want));
        }
    printf("matmul %dx%dx%d: max error %g: %s\n", N, L, M, worst, worst == 0 ? "ok" : "WRONG");
    return worst == 0;
}

static int check_softmax(void) {
    for (int i = 0; i < SN; i++)
        for (int j = 0; j < SM; j++) X[i][j] = (float)((i * 13 + j * 7) % 17) / 4 - 2;
    softmax(&X[0][0], &Y[0][0]);
    double worst = 0;
    for (int i = 0; i < SN; i++) {
        double max = X[i][0], sum = 0;
        for (int j = 0; j < SM; j++) max = fmax(max, X[i][j]);
        for (int j = 0; j < SM; j++) sum += exp(X[i][j] - max);
        for (int j = 0; j < SM; j++) worst = fmax(worst, fabs(Y[i][j] - exp(X[i][j] - max) / sum));
    }
    printf("softmax %dx%d: max error %.2g: %s\n", SN, SM, worst, worst < 1e-5 ? "ok" : "WRONG");
    return worst < 1e-5;
}

int main(void) {
    int ok = check_matmul() & check_softmax();
    return ok ? 0 : 1;
}
