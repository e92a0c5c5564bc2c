#include "avgpool_pad.h"
#include "qa_check.h"
enum { N = 2, C = 3, H = 5, W = 6 };
static double data[N][C][H][W], out[N][C][H][W];
int main(void) {
    QA_FILL(&data[0][0][0][0], N * C * H * W, qa_unit());
    QA_FILL(&out[0][0][0][0], N * C * H * W, 1e300);
    avgpool_pad(&data[0][0][0][0], &out[0][0][0][0]);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double s = 0;
                    for (int ry = 0; ry < 2; ry++)
                        for (int rx = 0; rx < 2; rx++)
                            if (y + ry < H && x + rx < W) s += data[n][c][y + ry][x + rx];
                    qa_near("out", ((n * C + c) * H + y) * W + x, out[n][c][y][x], s / 4.0, 1e-12);
                }
    return qa_done("avgpool_pad");
}
