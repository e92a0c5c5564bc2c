/* The C header written beside an emitted object: prototype, bound parameters, config, link line. */
#ifndef TEC_HEADER_H
#define TEC_HEADER_H
#include "lang/inst.h"

/* config_desc: e.g. "index 56: [('tile_y', [-1, 64]), ('tile_x', [-1, 32])]" or NULL.
 * object_name: the object's file name as the link line should show it. Writes to a temporary
 * file then renames, so no half-written header is ever left. */
bool header_write(const char *path, const Inst *in, const char *config_desc,
                  const char *object_name, bool uses_openmp, const char *target, char *err,
                  size_t errlen);
/* The header of a library: the kernels ins[0..n) (distinct names) in one object, each with its
 * parameters, config and arguments in the comment, then every prototype. */
bool header_write_lib(const char *path, const Inst *const *ins, const char *const *config_descs,
                      int n, const char *object_name, bool uses_openmp, const char *target,
                      char *err, size_t errlen);
/* The header's path for an object's: the object's name with its extension replaced by .h
 * ("out/mm.o" -> "out/mm.h", "k.obj" -> "k.h"; ".h" appended when there is no extension). */
void header_path_for(char *buf, size_t n, const char *obj_path);
#endif
