#include "fused_parallel.h"
#include "qa_check.h"
enum { N = 2, C = 7, H = 3, W = 5 };
static float x[N][C][H][W], y[N][H][W][C];
int main(void) {
    QA_FILL(&x[0][0][0][0], N * C * H * W, (float)qa_unit());
    QA_FILL(&y[0][0][0][0], N * C * H * W, 1e30f);
    fused_parallel(&x[0][0][0][0], &y[0][0][0][0]);
    for (int n = 0; n < N; n++)
        for (int h = 0; h < H; h++)
            for (int w = 0; w < W; w++)
                for (int c = 0; c < C; c++)
                    qa_near("y", ((n * H + h) * W + w) * C + c, y[n][h][w][c],
                            x[n][c][h][w] * 3.0f - (float)c, 1e-6);
    return qa_done("fused_parallel");
}
