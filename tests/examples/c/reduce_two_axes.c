#include "reduce_two_axes.h"
#include "qa_check.h"
enum { N = 3, C = 5, H = 7, W = 13 };
static float x[N][C][H][W], ss[N][C];
int main(void) {
    QA_FILL(&x[0][0][0][0], N * C * H * W, (float)qa_unit());
    QA_FILL(&ss[0][0], N * C, 1e30f);
    reduce_two_axes(&x[0][0][0][0], &ss[0][0]);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++) {
            double s = 0;
            for (int y = 0; y < H; y++)
                for (int w = 0; w < W; w++) s += (double)x[n][c][y][w] * x[n][c][y][w];
            qa_near("ss", n * C + c, ss[n][c], s, 1e-5);
        }
    return qa_done("reduce_two_axes");
}
