#ifndef PARECON_CGSL_SHIM_H
#define PARECON_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_qrng.h>
#endif
