/* sd-bus, loaded on first use.  Linking libsystemd would make every
 * invocation of the runtime load it and its compression and crypto
 * dependencies (about 800,000 instructions in the dynamic loader, measured
 * with callgrind), although only --systemd-cgroup ever talks to D-Bus.
 *
 * Include this after <systemd/sd-bus.h>: it turns the sd_bus_* calls of
 * the file into calls through the table.  Until sdbus_load() succeeds the
 * table holds stubs that fail with -ENOSYS, so a missed load is an error,
 * never a crash.  */
#ifndef RT_SDBUS_DL_H
#define RT_SDBUS_DL_H

#include <systemd/sd-bus.h>

#include "error.h"

typedef struct sdbus_table
{
  int (*call) (sd_bus *, sd_bus_message *, uint64_t, sd_bus_error *, sd_bus_message **);
  int (*call_method) (sd_bus *, const char *, const char *, const char *, const char *, sd_bus_error *, sd_bus_message **, const char *, ...);
  void (*error_free) (sd_bus_error *);
  int (*error_has_name) (const sd_bus_error *, const char *);
  int (*error_is_set) (const sd_bus_error *);
  sd_bus * (*flush_close_unref) (sd_bus *);
  int (*get_property_string) (sd_bus *, const char *, const char *, const char *, const char *, sd_bus_error *, char **);
  int (*is_bus_client) (sd_bus *);
  int (*match_signal) (sd_bus *, sd_bus_slot **, const char *, const char *, const char *, const char *, sd_bus_message_handler_t, void *);
  int (*message_append) (sd_bus_message *, const char *, ...);
  int (*message_append_basic) (sd_bus_message *, char, const void *);
  int (*message_close_container) (sd_bus_message *);
  int (*message_new_method_call) (sd_bus *, sd_bus_message **, const char *, const char *, const char *, const char *);
  int (*message_open_container) (sd_bus_message *, char, const char *);
  int (*message_read) (sd_bus_message *, const char *, ...);
  sd_bus_message * (*message_unref) (sd_bus_message *);
  int (*new) (sd_bus **);
  int (*open_system) (sd_bus **);
  int (*process) (sd_bus *, sd_bus_message **);
  int (*set_address) (sd_bus *, const char *);
  int (*set_bus_client) (sd_bus *, int);
  sd_bus_slot * (*slot_unref) (sd_bus_slot *);
  int (*start) (sd_bus *);
  sd_bus * (*unref) (sd_bus *);
  int (*wait) (sd_bus *, uint64_t);
} sdbus_table;

extern sdbus_table sdbus;

/* Load libsystemd.so.0 and resolve every function (once; cheap after). */
int sdbus_load (rt_error *err);

#define sd_bus_call (sdbus.call)
#define sd_bus_call_method (sdbus.call_method)
#define sd_bus_error_free (sdbus.error_free)
#define sd_bus_error_has_name (sdbus.error_has_name)
#define sd_bus_error_is_set (sdbus.error_is_set)
#define sd_bus_flush_close_unref (sdbus.flush_close_unref)
#define sd_bus_get_property_string (sdbus.get_property_string)
#define sd_bus_is_bus_client (sdbus.is_bus_client)
#define sd_bus_match_signal (sdbus.match_signal)
#define sd_bus_message_append (sdbus.message_append)
#define sd_bus_message_append_basic (sdbus.message_append_basic)
#define sd_bus_message_close_container (sdbus.message_close_container)
#define sd_bus_message_new_method_call (sdbus.message_new_method_call)
#define sd_bus_message_open_container (sdbus.message_open_container)
#define sd_bus_message_read (sdbus.message_read)
#define sd_bus_message_unref (sdbus.message_unref)
#define sd_bus_new (sdbus.new)
#define sd_bus_open_system (sdbus.open_system)
#define sd_bus_process (sdbus.process)
#define sd_bus_set_address (sdbus.set_address)
#define sd_bus_set_bus_client (sdbus.set_bus_client)
#define sd_bus_slot_unref (sdbus.slot_unref)
#define sd_bus_start (sdbus.start)
#define sd_bus_unref (sdbus.unref)
#define sd_bus_wait (sdbus.wait)

#endif
