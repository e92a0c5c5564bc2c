/* The XGB tuner's bounded cache of feature rows (see feature_cache.h): open-addressing tables
 * by config index into a pool of floats, two generations under one byte limit. Takes rows;
 * gives them back, bit for bit. */
#include "tuner/feature_cache.h"
#include "lang/xalloc.h"
#include <stdlib.h>
#include <string.h>

enum { SLOT_BYTES = sizeof(int64_t) + sizeof(size_t) + sizeof(uint32_t), MIN_SLOTS = 64 };

static size_t gen_bytes(const FcGen *g) {
    return g->tcap * SLOT_BYTES + g->pcap * sizeof(float);
}

/* Fibonacci hashing (index times 2^64 / phi); tcap is a power of two. */
static size_t slot_of(int64_t index, size_t tcap) {
    return (size_t)(((uint64_t)index * 0x9e3779b97f4a7c15ULL) >> 32) & (tcap - 1);
}

/* The slot holding index, or the empty slot where it would go (tcap > count). */
static size_t find(const FcGen *g, int64_t index) {
    size_t j = slot_of(index, g->tcap);
    while (g->keys[j] >= 0 && g->keys[j] != index) j = (j + 1) & (g->tcap - 1);
    return j;
}

static void rehash(FcGen *g, size_t tcap) {
    FcGen n = *g;
    n.tcap = tcap;
    n.keys = xmalloc(sizeof *n.keys * tcap);
    n.off = xmalloc(sizeof *n.off * tcap);
    n.len = xmalloc(sizeof *n.len * tcap);
    memset(n.keys, 0xff, sizeof *n.keys * tcap);
    for (size_t i = 0; i < g->tcap; i++) {
        if (g->keys[i] < 0) continue;
        size_t j = find(&n, g->keys[i]);
        n.keys[j] = g->keys[i];
        n.off[j] = g->off[i];
        n.len[j] = g->len[i];
    }
    free(g->keys);
    free(g->off);
    free(g->len);
    *g = n;
}

/* Room in g for one more row of len floats within budget bytes (growing its table or pool);
 * false if there is none. */
static bool make_room(FcGen *g, size_t len, size_t budget) {
    size_t tcap = g->tcap ? g->tcap : MIN_SLOTS;
    while ((g->count + 1) * 2 > tcap) tcap *= 2; /* load at most one half */
    size_t pcap = g->pcap;
    if (g->used + len > pcap) {
        pcap = pcap ? 2 * pcap : 4096;
        if (pcap < g->used + len) pcap = g->used + len;
    }
    if (tcap * SLOT_BYTES > budget) return false;
    size_t room = (budget - tcap * SLOT_BYTES) / sizeof(float);
    if (g->used + len > room) return false;
    if (pcap > room) pcap = room;
    if (tcap != g->tcap) rehash(g, tcap);
    if (pcap != g->pcap) {
        g->pool = xrealloc(g->pool, sizeof *g->pool * pcap);
        g->pcap = pcap;
    }
    return true;
}

static void insert(FeatureCache *c, int64_t index, const float *row, size_t len) {
    size_t budget = c->limit / 2;
    FcGen *g = &c->gen[0];
    if (!make_room(g, len, budget)) {
        /* The newer generation is full: it becomes the older, and the older one's memory,
         * emptied, the newer. */
        FcGen t = c->gen[1];
        c->gen[1] = c->gen[0];
        c->gen[0] = t;
        g->count = g->used = 0;
        if (g->tcap) memset(g->keys, 0xff, sizeof *g->keys * g->tcap);
        if (!make_room(g, len, budget)) return; /* a row above half the limit: never kept */
    }
    size_t j = find(g, index);
    if (g->keys[j] == index) return;
    g->keys[j] = index;
    g->off[j] = g->used;
    g->len[j] = (uint32_t)len;
    if (len) memcpy(g->pool + g->used, row, sizeof *row * len);
    g->used += len;
    g->count++;
}

void feature_cache_init(FeatureCache *c, int dim, size_t limit_bytes) {
    memset(c, 0, sizeof *c);
    c->dim = dim;
    c->limit = limit_bytes;
}

bool feature_cache_get(FeatureCache *c, int64_t index, float *out) {
    for (int k = 0; k < 2; k++) {
        FcGen *g = &c->gen[k];
        if (!g->count) continue;
        size_t j = find(g, index);
        if (g->keys[j] != index) continue;
        size_t len = g->len[j];
        memcpy(out, g->pool + g->off[j], sizeof *out * len);
        memset(out + len, 0, sizeof *out * ((size_t)c->dim - len));
        c->hits++;
        if (k == 1) insert(c, index, out, len); /* in use: keep it past the next rotation */
        return true;
    }
    c->misses++;
    return false;
}

void feature_cache_put(FeatureCache *c, int64_t index, const float *row) {
    if (!c->limit) return;
    size_t len = (size_t)c->dim;
    /* Trailing +0.0 floats only (bit patterns): -0.0 and NaN are kept as they are. */
    for (uint32_t bits = 0; len > 0; len--) {
        memcpy(&bits, &row[len - 1], sizeof bits);
        if (bits) break;
    }
    insert(c, index, row, len);
}

size_t feature_cache_bytes(const FeatureCache *c) {
    return gen_bytes(&c->gen[0]) + gen_bytes(&c->gen[1]);
}

void feature_cache_free(FeatureCache *c) {
    for (int k = 0; k < 2; k++) {
        free(c->gen[k].keys);
        free(c->gen[k].off);
        free(c->gen[k].len);
        free(c->gen[k].pool);
    }
    memset(c, 0, sizeof *c);
}
