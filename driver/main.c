/* tec's command line: parses options, runs the pipeline for the chosen mode. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("tec %s\n", TEC_VERSION);
        return 0;
    }
    fprintf(stderr, "usage: tec [options] FILE.te\n");
    return 2;
}
