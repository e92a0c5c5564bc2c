#include "conv2d_nhwc.h"
#include "qa_check.h"
enum { N = 1, H = 7, W = 13, CI = 3, CO = 8 };
static float data[N][H][W][CI], kernel[3][3][CI][CO], out[N][H][W][CO];
int main(void) {
    QA_FILL(&data[0][0][0][0], N * H * W * CI, (float)qa_unit());
    QA_FILL(&kernel[0][0][0][0], 9 * CI * CO, (float)qa_unit());
    QA_FILL(&out[0][0][0][0], N * H * W * CO, 1e30f);
    conv2d_nhwc(&data[0][0][0][0], &kernel[0][0][0][0], &out[0][0][0][0]);
    for (int n = 0; n < N; n++)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int f = 0; f < CO; f++) {
                    double s = 0;
                    for (int ry = 0; ry < 3; ry++)
                        for (int rx = 0; rx < 3; rx++)
                            for (int c = 0; c < CI; c++) {
                                int iy = y + ry - 1, ix = x + rx - 1;
                                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                s += (double)data[n][iy][ix][c] * kernel[ry][rx][c][f];
                            }
                    qa_near("out", ((n * H + y) * W + x) * CO + f, out[n][y][x][f], s, 1e-5);
                }
    return qa_done("conv2d_nhwc");
}
