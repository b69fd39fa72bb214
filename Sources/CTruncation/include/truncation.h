#ifndef PARECON_TRUNCATION_H
#define PARECON_TRUNCATION_H
#include <stdint.h>

/* x truncated toward zero, as Swift's Int64(x), without Swift's range check. Without the
   check, the solidarity loop (which converts every coordinator's value to fixed point) took
   about 15% less time on two threads (docs/PERFORMANCE.md, tenth round). Callers keep x inside
   (-2^63, 2^63), where this is exactly Swift's conversion; outside it (or for NaN) C leaves the
   result undefined, where Swift would have stopped the program. */
static inline int64_t parecon_truncate(double x) { return (int64_t)x; }

#endif
