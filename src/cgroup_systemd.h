/* The sd-bus side of the systemd driver, exposed for its tests.  */
#ifndef RT_CGROUP_SYSTEMD_H
#define RT_CGROUP_SYSTEMD_H

#include "config.h"

#ifdef HAVE_SYSTEMD
#include <systemd/sd-bus.h>

#include "sdbus_dl.h"

#include "cgroup_sdprops.h"

/* The bus to ask: the system bus for root, the user's own manager when
 * `user` (never the system bus then).  */
int cg_sd_bus_open (bool user, sd_bus **out, rt_error *err);
/* Append an a(sv) property array.  */
int cg_sd_append_props (sd_bus_message *m, const sd_props *p);
/* Send `call` (a method returning a job object path) and wait for that
 * job's JobRemoved signal; *result is its result string.  On a D-Bus
 * error reply, returns < 0 with `berr` set.  */
int cg_sd_call_job (sd_bus *bus, sd_bus_message *call, int timeout_ms, char **result, sd_bus_error *berr,
                    rt_error *err);
int cg_sd_start_unit (sd_bus *bus, const char *unit, const sd_props *props, rt_error *err);
int cg_sd_manager_property (sd_bus *bus, const char *name, char **out, rt_error *err);
#endif

#endif
