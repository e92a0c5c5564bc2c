#include "reorder_all4.h"
#include "qa_check.h"
enum { D = 5, H = 6, W = 13 };
static float x[D][H][W + 2], y[D][H][W];
int main(void) {
    QA_FILL(&x[0][0][0], D * H * (W + 2), (float)qa_unit());
    QA_FILL(&y[0][0][0], D * H * W, 1e30f);
    reorder_all4(&x[0][0][0], &y[0][0][0]);
    for (int d = 0; d < D; d++)
        for (int h = 0; h < H; h++)
            for (int w = 0; w < W; w++)
                qa_near("y", (d * H + h) * W + w, y[d][h][w],
                        (double)x[d][h][w] + x[d][h][w + 1] + x[d][h][w + 2], 1e-6);
    return qa_done("reorder_all4");
}
