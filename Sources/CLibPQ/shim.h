#ifndef IPCASE_CLIBPQ_SHIM_H
#define IPCASE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
