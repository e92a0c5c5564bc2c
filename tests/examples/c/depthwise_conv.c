#include "depthwise_conv.h"
#include "qa_check.h"
enum { N = 2, C = 5, H = 9, W = 11 };
static float data[N][C][H][W], filt[C][1][3][3], out[N][C][H][W];
int main(void) {
    QA_FILL(&data[0][0][0][0], N * C * H * W, (float)qa_unit());
    QA_FILL(&filt[0][0][0][0], C * 9, (float)qa_unit());
    QA_FILL(&out[0][0][0][0], N * C * H * W, 1e30f);
    depthwise_conv(&data[0][0][0][0], &filt[0][0][0][0], &out[0][0][0][0]);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double s = 0;
                    for (int di = 0; di < 3; di++)
                        for (int dj = 0; dj < 3; dj++) {
                            int iy = y + di - 1, ix = x + dj - 1;
                            if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                                s += (double)data[n][c][iy][ix] * filt[c][0][di][dj];
                        }
                    qa_near("out", ((n * C + c) * H + y) * W + x, out[n][c][y][x], s, 1e-5);
                }
    return qa_done("depthwise_conv");
}
