#include "shapes_one.h"
#include "qa_check.h"
int main(void) {
    float A[1] = {0.75f}, B[1] = {-2.0f}, D[1] = {1e30f};
    shapes_one(A, B, D);
    qa_near("D", 0, D[0], 0.75 * -2.0 + 1.0, 0);
    return qa_done("shapes_one");
}
