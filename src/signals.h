/* Signal names as runc accepts them: a number, or a name with or without
 * the SIG prefix, case-insensitively ("KILL", "sigkill", "9", "SIGRTMIN+3").  */
#ifndef RT_SIGNALS_H
#define RT_SIGNALS_H

#include "error.h"

int sig_parse (const char *s, int *out, rt_error *err);
/* "SIGKILL"; NULL for an unknown number.  Real-time signals are spelled
 * "SIGRTMIN+N".  The pointer is to static storage for RT signals: copy it
 * before the next call.  */
const char *sig_name (int sig);

#endif
