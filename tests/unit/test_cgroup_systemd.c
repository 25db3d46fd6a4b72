/* The systemd driver without systemd: the GVariant text of the
 * org.systemd.property.* annotations, the properties runc would send,
 * and the real D-Bus messages, exchanged with a fake systemd on a
 * socketpair (StartTransientUnit's signature and contents, the job wait,
 * the UnitExists retry, a failed job).  */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "cgroup_sdprops.h"
#include "cgroup_systemd.h"
#include "tap.h"
#include "util.h"

static const sd_val *
find (const sd_props *p, const char *name)
{
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->v[i].name, name) == 0)
      return &p->v[i].val;
  return NULL;
}

static void
test_gvariant (void)
{
  rt_error err = { 0 };
  sd_val v;

  ok (sd_val_parse ("true", &v, &err) == 0 && strcmp (v.sig, "b") == 0 && v.v.b, "true");
  sd_val_free (&v);
  ok (sd_val_parse ("42", &v, &err) == 0 && strcmp (v.sig, "i") == 0 && v.v.i == 42, "untyped integer is int32");
  sd_val_free (&v);
  ok (sd_val_parse ("uint64 42", &v, &err) == 0 && strcmp (v.sig, "t") == 0 && v.v.u == 42, "uint64 42");
  sd_val_free (&v);
  ok (sd_val_parse ("@t 18446744073709551615", &v, &err) == 0 && v.v.u == UINT64_MAX, "@t max");
  sd_val_free (&v);
  ok (sd_val_parse ("1.5", &v, &err) == 0 && strcmp (v.sig, "d") == 0 && v.v.d == 1.5, "double");
  sd_val_free (&v);
  ok (sd_val_parse ("'inactive-or-failed'", &v, &err) == 0 && strcmp (v.sig, "s") == 0
          && strcmp (v.v.s, "inactive-or-failed") == 0,
      "single-quoted string");
  sd_val_free (&v);
  ok (sd_val_parse ("\"a\\\"b\"", &v, &err) == 0 && strcmp (v.v.s, "a\"b") == 0, "double quotes with an escape");
  sd_val_free (&v);
  ok (sd_val_parse ("[1, 2, 3]", &v, &err) == 0 && strcmp (v.sig, "ai") == 0 && v.n == 3 && v.items[2].v.i == 3,
      "array of int32");
  sd_val_free (&v);
  ok (sd_val_parse ("@as []", &v, &err) == 0 && strcmp (v.sig, "as") == 0 && v.n == 0, "typed empty array");
  sd_val_free (&v);
  ok (sd_val_parse ("[('/dev/null', 'rwm'), ('/dev/zero', 'r')]", &v, &err) == 0 && strcmp (v.sig, "a(ss)") == 0
          && v.n == 2 && strcmp (v.items[1].items[1].v.s, "r") == 0,
      "array of tuples (DeviceAllow)");
  sd_val_free (&v);
  ok (sd_val_parse ("@a(st) [('x', 5)]", &v, &err) == 0 && strcmp (v.items[0].items[1].sig, "t") == 0
          && v.items[0].items[1].v.u == 5,
      "a type annotation types the members");
  sd_val_free (&v);
  ok (sd_val_parse ("byte 300", &v, &err) < 0, "byte out of range");
  ok (sd_val_parse ("[1, 'a']", &v, &err) < 0, "mixed array refused");
  ok (sd_val_parse ("[]", &v, &err) < 0, "untyped empty array refused");
  like (err.msg, "needs a type", "... saying it needs a type");
  ok (sd_val_parse ("'open", &v, &err) < 0, "unterminated string");
  ok (sd_val_parse ("true false", &v, &err) < 0, "trailing text");
  ok (sd_val_parse ("uint32 -1", &v, &err) < 0, "negative unsigned");
}

static void
test_annotations (void)
{
  spec_kv ann[] = {
    { (char *) "org.systemd.property.TimeoutStopSec", (char *) "uint64 5" },
    { (char *) "org.systemd.property.CollectMode", (char *) "'inactive-or-failed'" },
    { (char *) "org.other", (char *) "x" },
    { (char *) "org.systemd.property.RuntimeMaxSec", (char *) "2.5" },
  };
  spec_kv bad_name[] = { { (char *) "org.systemd.property.Ab1", (char *) "1" } };
  spec_kv short_name[] = { { (char *) "org.systemd.property.Ab", (char *) "1" } };
  spec_kv bad_value[] = { { (char *) "org.systemd.property.TimeoutStopSec", (char *) "'soon'" } };
  sd_props p = { 0 };
  rt_error err = { 0 };
  const sd_val *v;

  ok (sd_props_from_annotations (ann, ARRAY_SIZE (ann), &p, &err) == 0, "annotations parsed");
  is_int (p.n, 3, "only org.systemd.property.* taken");
  v = find (&p, "TimeoutStopUSec");
  ok (v && strcmp (v->sig, "t") == 0 && v->v.u == 5000000, "TimeoutStopSec=5 -> TimeoutStopUSec=5000000");
  v = find (&p, "RuntimeMaxUSec");
  ok (v && v->v.u == 2500000, "a double in seconds converted too");
  v = find (&p, "CollectMode");
  ok (v && strcmp (v->v.s, "inactive-or-failed") == 0, "CollectMode string");
  sd_props_free (&p);
  ok (sd_props_from_annotations (bad_name, 1, &p, &err) < 0, "non-letter in the name refused");
  like (err.msg, "annotation org.systemd.property.Ab1 name incorrect: contains non-alphabetic character",
        "runc's message");
  ok (sd_props_from_annotations (short_name, 1, &p, &err) < 0, "two-letter name refused");
  like (err.msg, "too short", "runc's message");
  ok (sd_props_from_annotations (bad_value, 1, &p, &err) < 0, "a string for a Sec property refused");
  like (err.msg, "value parse error", "runc's message");
  sd_props_free (&p);
}

static void
test_properties (void)
{
  spec_memory mem = { .has_limit = true, .limit = 1 << 30, .has_reservation = true, .reservation = 1 << 29,
                      .has_swap = true, .swap = 3LL << 30 };
  spec_cpu cpu = { .has_shares = true, .shares = 1024, .has_quota = true, .quota = 50000, .has_period = true,
                   .period = 100000, .cpus = (char *) "0-3,8" };
  spec_kv uni[] = { { (char *) "memory.high", (char *) "max" } };
  spec_resources r = { .memory = &mem, .cpu = &cpu, .has_pids = true, .pids_limit = 0, .unified = uni, .n_unified = 1 };
  cg_systemd_name n;
  sd_props p = { 0 };
  rt_error err = { 0 };
  const sd_val *v;
  static const char *const order[] = { "Description", "Slice", "Delegate", "PIDs", "MemoryAccounting",
                                       "CPUAccounting", "IOAccounting", "TasksAccounting", "DefaultDependencies" };

  cg_systemd_name_parse (NULL, "ctr", false, &n, &err);
  sd_props_base (&p, &n, 4242, true);
  for (size_t i = 0; i < ARRAY_SIZE (order); i++)
    is_str (p.v[i].name, order[i], "base property %zu is %s", i, order[i]);
  v = find (&p, "PIDs");
  ok (v && strcmp (v->sig, "au") == 0 && v->n == 1 && v->items[0].v.u == 4242, "PIDs=[4242]");
  v = find (&p, "Description");
  is_str (v ? v->v.s : NULL, "libcontainer container ctr", "description as runc's");
  ok (find (&p, "Delegate")->v.b, "Delegate=yes");
  is_str (find (&p, "Slice")->v.s, "system.slice", "Slice=system.slice");
  sd_props_free (&p);

  ok (sd_props_resources (&p, &r, true, 252, &err) == 0, "resources -> properties (v2, systemd 252)");
  ok ((v = find (&p, "MemoryMax")) && v->v.u == 1 << 30, "MemoryMax");
  ok ((v = find (&p, "MemoryLow")) && v->v.u == 1 << 29, "MemoryLow from the reservation");
  ok ((v = find (&p, "MemorySwapMax")) && v->v.u == 2LL << 30, "MemorySwapMax = swap - limit");
  ok ((v = find (&p, "CPUWeight")) && v->v.u == 100, "CPUWeight from 1024 shares");
  ok ((v = find (&p, "CPUQuotaPeriodUSec")) && v->v.u == 100000, "CPUQuotaPeriodUSec");
  ok ((v = find (&p, "CPUQuotaPerSecUSec")) && v->v.u == 500000, "CPUQuotaPerSecUSec");
  ok ((v = find (&p, "TasksMax")) && v->v.u == 1, "pids.limit 0 -> TasksMax=1 (systemd cannot say 0)");
  ok ((v = find (&p, "AllowedCPUs")) && strcmp (v->sig, "ay") == 0 && v->n == 2 && v->items[0].v.u == 0x0f
          && v->items[1].v.u == 0x01,
      "AllowedCPUs bitmask");
  ok ((v = find (&p, "MemoryHigh")) && v->v.u == UINT64_MAX, "unified memory.high=max -> MemoryHigh=infinity");
  sd_props_free (&p);

  ok (sd_props_resources (&p, &r, true, 241, &err) == 0, "systemd 241");
  ok (find (&p, "CPUQuotaPeriodUSec") == NULL && find (&p, "AllowedCPUs") == NULL,
      "no CPUQuotaPeriodUSec or AllowedCPUs before systemd supports them");
  sd_props_free (&p);
  ok (sd_props_resources (&p, &r, false, 252, &err) == 0, "v1");
  ok (find (&p, "MemoryLimit") && find (&p, "CPUShares") && !find (&p, "MemoryMax"), "v1 names: MemoryLimit, CPUShares");
  sd_props_free (&p);
  cg_systemd_name_free (&n);
}

#ifdef HAVE_SYSTEMD

/* ---- a fake systemd on the other end of a socketpair -------------------- */

typedef struct fake
{
  sd_bus *bus;
  int calls;
  bool exists_first; /* answer the first StartTransientUnit with UnitExists */
  const char *result; /* the job result to announce */
  char signature[64];
  char unit[64], mode[16];
  char names[1024]; /* "Name:sig," for each property */
  uint32_t pid;
  uint64_t memory_max;
  int resets;
  volatile bool stop;
} fake;

static void
record_props (fake *f, sd_bus_message *m)
{
  const char *name, *contents;
  char t;

  sd_bus_message_enter_container (m, 'a', "(sv)");
  while (sd_bus_message_enter_container (m, 'r', "sv") > 0)
    {
      sd_bus_message_read (m, "s", &name);
      sd_bus_message_peek_type (m, &t, &contents);
      strncat (f->names, name, sizeof f->names - strlen (f->names) - 1);
      strncat (f->names, ":", sizeof f->names - strlen (f->names) - 1);
      strncat (f->names, contents, sizeof f->names - strlen (f->names) - 1);
      strncat (f->names, ",", sizeof f->names - strlen (f->names) - 1);
      if (strcmp (name, "PIDs") == 0)
        sd_bus_message_read (m, "v", "au", 1, &f->pid);
      else if (strcmp (name, "MemoryMax") == 0)
        sd_bus_message_read (m, "v", "t", &f->memory_max);
      else
        sd_bus_message_skip (m, "v");
      sd_bus_message_exit_container (m);
    }
  sd_bus_message_exit_container (m);
}

static int
on_call (sd_bus_message *m, void *data, sd_bus_error *e)
{
  fake *f = data;
  const char *member = sd_bus_message_get_member (m);

  if (strcmp (member, "ResetFailedUnit") == 0)
    {
      f->resets++;
      return sd_bus_reply_method_return (m, NULL);
    }
  if (strcmp (member, "StartTransientUnit") != 0)
    return sd_bus_reply_method_errorf (m, "org.freedesktop.DBus.Error.UnknownMethod", "no %s", member);
  f->calls++;
  snprintf (f->signature, sizeof f->signature, "%s", sd_bus_message_get_signature (m, true));
  if (f->exists_first && f->calls == 1)
    return sd_bus_reply_method_errorf (m, "org.freedesktop.systemd1.UnitExists", "Unit x already exists.");
  {
    const char *unit, *mode;
    sd_bus_message *sig = NULL;
    sd_bus_message_read (m, "ss", &unit, &mode);
    snprintf (f->unit, sizeof f->unit, "%s", unit);
    snprintf (f->mode, sizeof f->mode, "%s", mode);
    f->names[0] = '\0';
    record_props (f, m);
    /* The signal goes out before the reply, as a fast systemd may do:
       the client must not miss it.  */
    sd_bus_message_new_signal (f->bus, &sig, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                               "JobRemoved");
    sd_bus_message_append (sig, "uoss", 7, "/org/freedesktop/systemd1/job/7", unit, f->result);
    sd_bus_send (f->bus, sig, NULL);
    sd_bus_message_unref (sig);
    return sd_bus_reply_method_return (m, "o", "/org/freedesktop/systemd1/job/7");
  }
}

static void *
serve (void *data)
{
  fake *f = data;
  while (!f->stop)
    {
      int r = sd_bus_process (f->bus, NULL);
      if (r < 0)
        break;
      if (r == 0)
        sd_bus_wait (f->bus, 50000);
    }
  return NULL;
}

static sd_bus *
connect_fake (fake *f, pthread_t *th)
{
  int sv[2];
  sd_bus *client = NULL;
  sd_id128_t id;

  socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
  sd_id128_randomize (&id);
  sd_bus_new (&f->bus);
  sd_bus_set_fd (f->bus, sv[1], sv[1]);
  sd_bus_set_server (f->bus, 1, id);
  sd_bus_set_anonymous (f->bus, 1);
  sd_bus_add_object (f->bus, NULL, "/org/freedesktop/systemd1", on_call, f);
  sd_bus_start (f->bus);
  sd_bus_new (&client);
  sd_bus_set_fd (client, sv[0], sv[0]);
  sd_bus_set_anonymous (client, 1);
  sd_bus_start (client);
  pthread_create (th, NULL, serve, f);
  return client;
}

static void
disconnect (fake *f, sd_bus *client, pthread_t th)
{
  f->stop = true;
  pthread_join (th, NULL);
  sd_bus_flush_close_unref (client);
  sd_bus_flush_close_unref (f->bus);
}

static void
test_dbus (void)
{
  spec_memory mem = { .has_limit = true, .limit = 1 << 28 };
  spec_resources r = { .memory = &mem };
  cg_systemd_name n;
  sd_props p = { 0 };
  rt_error err = { 0 };
  pthread_t th;
  fake f = { .result = "done" };
  sd_bus *client;

  cg_systemd_name_parse ("machine.slice:pfx:ctr9", "x", false, &n, &err);
  sd_props_base (&p, &n, 1234, true);
  sd_props_resources (&p, &r, true, 252, &err);

  client = connect_fake (&f, &th);
  ok (cg_sd_start_unit (client, n.unit, &p, &err) == 0, "StartTransientUnit through the fake systemd (%s)", err.msg);
  is_str (f.signature, "ssa(sv)a(sa(sv))", "the method signature");
  is_str (f.unit, "pfx-ctr9.scope", "the unit name");
  is_str (f.mode, "replace", "mode replace");
  like (f.names, "Description:s,Slice:s,Delegate:b,PIDs:au,", "properties in order with their types");
  like (f.names, "DefaultDependencies:b,MemoryMax:t,", "resources after the base properties");
  is_int (f.pid, 1234, "PIDs carries the init");
  ok (f.memory_max == 1 << 28, "MemoryMax value");
  disconnect (&f, client, th);

  memset (&f, 0, sizeof f);
  f.result = "done";
  f.exists_first = true;
  client = connect_fake (&f, &th);
  ok (cg_sd_start_unit (client, n.unit, &p, &err) == 0, "UnitExists: reset the failed unit and retry");
  is_int (f.calls, 2, "two calls");
  is_int (f.resets, 1, "one ResetFailedUnit in between");
  disconnect (&f, client, th);

  memset (&f, 0, sizeof f);
  f.result = "failed";
  client = connect_fake (&f, &th);
  ok (cg_sd_start_unit (client, n.unit, &p, &err) < 0, "a failed job fails");
  is_str (err.msg, "error creating systemd unit `pfx-ctr9.scope`: got `failed`", "runc's message");
  disconnect (&f, client, th);

  sd_props_free (&p);
  cg_systemd_name_free (&n);
}

static void
test_user_bus_refusal (void)
{
  sd_bus *b = NULL;
  rt_error err = { 0 };
  char xdg[] = "/tmp/rt-xdg-XXXXXX";

  /* No session bus anywhere: the error lists each place, and the system
     bus is never used for a rootless container.  */
  mkdtemp (xdg);
  unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  setenv ("XDG_RUNTIME_DIR", xdg, 1);
  ok (cg_sd_bus_open (true, &b, &err) < 0, "no user bus: an error");
  like (err.msg, "$DBUS_SESSION_BUS_ADDRESS (unset)", "names $DBUS_SESSION_BUS_ADDRESS");
  like (err.msg, xdg, "names $XDG_RUNTIME_DIR/bus");
  like (err.msg, "/bus (no such socket)", "... which does not exist");
  like (err.msg, "/systemd/private", "names the user manager's private socket");
  like (err.msg, "the system bus is never used for a rootless container", "says the system bus is not an option");
  setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
  ok (cg_sd_bus_open (true, &b, &err) < 0, "a dead DBUS_SESSION_BUS_ADDRESS: an error");
  like (err.msg, "$DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus (", "names the address and why");
  rmdir (xdg);
}
#endif

int
main (void)
{
#ifdef HAVE_SYSTEMD
  {
    rt_error err = { 0 };
    ok (sdbus_load (&err) == 0, "libsystemd loads on demand: %s", err.msg);
  }
#endif
  test_gvariant ();
  test_annotations ();
  test_properties ();
#ifdef HAVE_SYSTEMD
  test_dbus ();
  test_user_bus_refusal ();
#else
  printf ("# built without libsystemd: D-Bus tests skipped\n");
#endif
  return tap_done ();
}
