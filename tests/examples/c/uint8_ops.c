#include "uint8_ops.h"
#include "qa_check.h"
enum { H = 13, W = 100 };
static uint8_t a[H][W], b[H][W], out[H][W];
int main(void) {
    QA_FILL(&a[0][0], H * W, (uint8_t)qa_int(0, 255));
    QA_FILL(&b[0][0], H * W, (uint8_t)qa_int(0, 255));
    QA_FILL(&out[0][0], H * W, 7);
    uint8_ops(&a[0][0], &b[0][0], &out[0][0]);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int avg = (a[y][x] + b[y][x] + 1) / 2;
            qa_eq("out", y * W + x, out[y][x], avg > 127 ? 255 : 0);
        }
    return qa_done("uint8_ops");
}
