/* The driver's fatal error: "tec: error: MESSAGE" on stderr, exit status 1. */
#ifndef TEC_DIE_H
#define TEC_DIE_H
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
