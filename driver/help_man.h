/* The man page tec(1), made from the usage text `tec --help` prints (driver/options.c): takes
 * that text and the version; gives roff on a stream (`tec --help-man`, run by the build). */
#ifndef TEC_HELP_MAN_H
#define TEC_HELP_MAN_H
#include <stdio.h>

void help_man(FILE *f, const char *usage, const char *version);
#endif
