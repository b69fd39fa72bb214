#ifndef PARECON_TRUNCATION_H
#define PARECON_TRUNCATION_H
#include <stdint.h>

/* x truncated toward zero, as Swift's Int64(x), without Swift's range check. The check's
   branches cost the hot loops that convert every person's value to fixed point about a fifth
   of their time on two threads; their callers keep x inside (-2^63, 2^63), where this is
   exactly Swift's conversion. Outside that range the result is undefined. */
static inline int64_t parecon_truncate(double x) { return (int64_t)x; }

#endif
