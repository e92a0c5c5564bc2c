/* A test-only interpreter of lowered IR functions, with the language's scalar semantics, used
 * to check lowering against the reference evaluator without codegen. */
#ifndef TEC_TEST_IR_INTERP_H
#define TEC_TEST_IR_INTERP_H
#include "compiler/ir.h"

/* Run f with args[i] the buffer of argument i. Every load and store is bounds-checked, a read
 * of an element of an allocated buffer (or an output) that was never written is an error, and
 * parallel and vectorized loops run in reverse order so a result that depends on their order
 * shows. Returns false with the first problem in why. */
bool ir_interp_run(const IrFunc *f, void *const *args, char *why, size_t whylen);
#endif
