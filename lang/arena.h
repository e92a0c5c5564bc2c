/* Arena allocator: many small zeroed allocations, all freed at once.
 * Takes sizes, gives pointers valid until arena_free. */
#ifndef TEC_ARENA_H
#define TEC_ARENA_H
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size); /* zeroed, 16-byte aligned; aborts on OOM */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an arena-owned array: returns a copy with room for newcap elements (old contents kept). */
void *arena_grow(Arena *a, void *old, size_t oldcap, size_t newcap, size_t elem);
size_t arena_bytes(const Arena *a); /* total bytes reserved, for tests of bounded growth */

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))
#endif
