/* The only function is static inline in include/truncation.h; a C target needs a source file. */
#include "truncation.h"
