#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>

#include "sdbus_dl.h"

/* Stubs: the library is not loaded.  */

static int
stub_call (sd_bus *a0, sd_bus_message *a1, uint64_t a2, sd_bus_error *a3, sd_bus_message **a4)
{
  (void) a0;
  (void) a1;
  (void) a2;
  (void) a3;
  (void) a4;
  return -ENOSYS;
}

static int
stub_call_method (sd_bus *a0, const char *a1, const char *a2, const char *a3, const char *a4, sd_bus_error *a5, sd_bus_message **a6, const char *a7, ...)
{
  (void) a0;
  (void) a1;
  (void) a2;
  (void) a3;
  (void) a4;
  (void) a5;
  (void) a6;
  (void) a7;
  return -ENOSYS;
}

static void
stub_error_free (sd_bus_error *a0)
{
  (void) a0;

}

static int
stub_error_has_name (const sd_bus_error *a0, const char *a1)
{
  (void) a0;
  (void) a1;
  return 0;
}

static int
stub_error_is_set (const sd_bus_error *a0)
{
  (void) a0;
  return 0;
}

static sd_bus *
stub_flush_close_unref (sd_bus *a0)
{
  (void) a0;
  return NULL;
}

static int
stub_get_property_string (sd_bus *a0, const char *a1, const char *a2, const char *a3, const char *a4, sd_bus_error *a5, char **a6)
{
  (void) a0;
  (void) a1;
  (void) a2;
  (void) a3;
  (void) a4;
  (void) a5;
  (void) a6;
  return -ENOSYS;
}

static int
stub_is_bus_client (sd_bus *a0)
{
  (void) a0;
  return -ENOSYS;
}

static int
stub_match_signal (sd_bus *a0, sd_bus_slot **a1, const char *a2, const char *a3, const char *a4, const char *a5, sd_bus_message_handler_t a6, void *a7)
{
  (void) a0;
  (void) a1;
  (void) a2;
  (void) a3;
  (void) a4;
  (void) a5;
  (void) a6;
  (void) a7;
  return -ENOSYS;
}

static int
stub_message_append (sd_bus_message *a0, const char *a1, ...)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

static int
stub_message_append_basic (sd_bus_message *a0, char a1, const void *a2)
{
  (void) a0;
  (void) a1;
  (void) a2;
  return -ENOSYS;
}

static int
stub_message_close_container (sd_bus_message *a0)
{
  (void) a0;
  return -ENOSYS;
}

static int
stub_message_new_method_call (sd_bus *a0, sd_bus_message **a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
  (void) a0;
  (void) a1;
  (void) a2;
  (void) a3;
  (void) a4;
  (void) a5;
  return -ENOSYS;
}

static int
stub_message_open_container (sd_bus_message *a0, char a1, const char *a2)
{
  (void) a0;
  (void) a1;
  (void) a2;
  return -ENOSYS;
}

static int
stub_message_read (sd_bus_message *a0, const char *a1, ...)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

static sd_bus_message *
stub_message_unref (sd_bus_message *a0)
{
  (void) a0;
  return NULL;
}

static int
stub_new (sd_bus **a0)
{
  (void) a0;
  return -ENOSYS;
}

static int
stub_open_system (sd_bus **a0)
{
  (void) a0;
  return -ENOSYS;
}

static int
stub_process (sd_bus *a0, sd_bus_message **a1)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

static int
stub_set_address (sd_bus *a0, const char *a1)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

static int
stub_set_bus_client (sd_bus *a0, int a1)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

static sd_bus_slot *
stub_slot_unref (sd_bus_slot *a0)
{
  (void) a0;
  return NULL;
}

static int
stub_start (sd_bus *a0)
{
  (void) a0;
  return -ENOSYS;
}

static sd_bus *
stub_unref (sd_bus *a0)
{
  (void) a0;
  return NULL;
}

static int
stub_wait (sd_bus *a0, uint64_t a1)
{
  (void) a0;
  (void) a1;
  return -ENOSYS;
}

sdbus_table sdbus = {
  .call = stub_call,
  .call_method = stub_call_method,
  .error_free = stub_error_free,
  .error_has_name = stub_error_has_name,
  .error_is_set = stub_error_is_set,
  .flush_close_unref = stub_flush_close_unref,
  .get_property_string = stub_get_property_string,
  .is_bus_client = stub_is_bus_client,
  .match_signal = stub_match_signal,
  .message_append = stub_message_append,
  .message_append_basic = stub_message_append_basic,
  .message_close_container = stub_message_close_container,
  .message_new_method_call = stub_message_new_method_call,
  .message_open_container = stub_message_open_container,
  .message_read = stub_message_read,
  .message_unref = stub_message_unref,
  .new = stub_new,
  .open_system = stub_open_system,
  .process = stub_process,
  .set_address = stub_set_address,
  .set_bus_client = stub_set_bus_client,
  .slot_unref = stub_slot_unref,
  .start = stub_start,
  .unref = stub_unref,
  .wait = stub_wait,
};

int
sdbus_load (rt_error *err)
{
  static int loaded;
  sdbus_table t;
  void *h;

  if (loaded)
    return 0;
  h = dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    return rt_failx (err, ENOENT, "the systemd cgroup driver needs libsystemd.so.0: %s", dlerror ());
#define RESOLVE(name)                                                                              \
  do                                                                                               \
    {                                                                                              \
      *(void **) &t.name = dlsym (h, "sd_bus_" #name);                                             \
      if (t.name == NULL)                                                                          \
        return rt_failx (err, ENOENT, "libsystemd.so.0 lacks sd_bus_" #name);                      \
    }                                                                                              \
  while (0)
  RESOLVE (call);
  RESOLVE (call_method);
  RESOLVE (error_free);
  RESOLVE (error_has_name);
  RESOLVE (error_is_set);
  RESOLVE (flush_close_unref);
  RESOLVE (get_property_string);
  RESOLVE (is_bus_client);
  RESOLVE (match_signal);
  RESOLVE (message_append);
  RESOLVE (message_append_basic);
  RESOLVE (message_close_container);
  RESOLVE (message_new_method_call);
  RESOLVE (message_open_container);
  RESOLVE (message_read);
  RESOLVE (message_unref);
  RESOLVE (new);
  RESOLVE (open_system);
  RESOLVE (process);
  RESOLVE (set_address);
  RESOLVE (set_bus_client);
  RESOLVE (slot_unref);
  RESOLVE (start);
  RESOLVE (unref);
  RESOLVE (wait);
#undef RESOLVE
  sdbus = t;
  loaded = 1;
  return 0;
}
