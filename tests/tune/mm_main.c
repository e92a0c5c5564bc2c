/* Links the tuned kernel as a user would (cc main.c matmul.o per its header) and checks it
 * against a plain loop nest. Built and run by test_tune_e2e. */
#include "mm.h"
#include <math.h>
#include <stdio.h>

enum { N = 64 };
static float A[N * N], B[N * N], C[N * N];

int main(void) {
    for (int i = 0; i < N * N; i++) {
        A[i] = (float)((i * 7) % 13) / 13.0f - 0.5f;
        B[i] = (float)((i * 5) % 11) / 11.0f - 0.5f;
        C[i] = NAN;
    }
    matmul(A, B, C);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < N; k++) acc += (double)A[i * N + k] * B[k * N + j];
            if (!(fabs(C[i * N + j] - acc) <= 1e-4)) {
                printf("wrong: C[%d][%d] = %g, expected %g\n", i, j, C[i * N + j], acc);
                return 1;
            }
        }
    printf("ok\n");
    return 0;
}
