/* The systemd driver (--systemd-cgroup): systemd creates the container's
 * cgroup as a transient scope unit with Delegate=yes, started with the
 * init's PID in it, and the cgroupfs code then works inside that
 * delegated scope for everything systemd does not express (device
 * filter, limits it has no property for, freezing, statistics).
 *
 * A scope cannot be started empty, so nothing happens at `create` time:
 * the unit is started when the init is entered (cg_enter), and the
 * resources handed to cg_apply before that are kept until then.
 *
 * The bus: root talks to the system bus (or, when no bus daemon runs, to
 * systemd's private socket, as runc's go-systemd does); a rootless
 * container only ever talks to the user's own manager, found through
 * $DBUS_SESSION_BUS_ADDRESS, $XDG_RUNTIME_DIR/bus, /run/user/UID/bus or
 * $XDG_RUNTIME_DIR/systemd/private.  Asking the system bus for a user's
 * scope ends in "Interactive authentication required", so that is never
 * tried.  */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "cgroup_sdprops.h"
#include "cgroup_systemd.h"
#include "json.h"
#include "util.h"

#ifdef HAVE_SYSTEMD

typedef struct sd_priv
{
  fs_priv fs; /* first: the cgroupfs functions take the same pointer */
  cg_systemd_name name;
  bool user_bus;
  bool started;
  sd_bus *bus;
  int version;
  const spec_resources *pending; /* cg_apply before the unit exists */
  sd_props extra;                /* org.systemd.property.* */
} sd_priv;

static sd_priv *
priv (const cg_manager *m)
{
  return m->priv;
}

/* ---- the bus ------------------------------------------------------------ */

static int
bus_at (const char *address, bool bus_client, sd_bus **out, rt_error *err)
{
  sd_bus *b = NULL;
  int r;

  *out = NULL;
  r = sd_bus_new (&b);
  if (r >= 0)
    r = sd_bus_set_address (b, address);
  if (r >= 0)
    r = sd_bus_set_bus_client (b, bus_client);
  if (r >= 0)
    r = sd_bus_start (b);
  if (r < 0)
    {
      sd_bus_unref (b);
      return rt_fail (err, -r, "connect to %s", address);
    }
  *out = b;
  return 0;
}

static bool
socket_exists (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISSOCK (st.st_mode);
}

int
cg_sd_bus_open (bool user, sd_bus **out, rt_error *err)
{
  char tried[RT_ERROR_MSG_MAX / 2] = "";
  size_t used = 0;
  const char *env;
  rt_error e = { 0 };

  *out = NULL;
  if (sdbus_load (err) < 0)
    return rt_error_ret (err);
  if (!user)
    {
      int r = sd_bus_open_system (out);
      if (r >= 0)
        return 0;
      /* No bus daemon: systemd itself listens on a private socket, for
         root only.  */
      if (geteuid () == 0 && socket_exists ("/run/systemd/private")
          && bus_at ("unix:path=/run/systemd/private", false, out, &e) == 0)
        return 0;
      return rt_fail (err, -r, "connect to the system bus (and to /run/systemd/private) for the systemd cgroup driver");
    }

#define TRIED(...) used += (size_t) snprintf (tried + used, used < sizeof tried ? sizeof tried - used : 0, __VA_ARGS__)
  env = getenv ("DBUS_SESSION_BUS_ADDRESS");
  if (env && env[0])
    {
      if (bus_at (env, true, out, &e) == 0)
        return 0;
      TRIED ("$DBUS_SESSION_BUS_ADDRESS=%s (%s); ", env, e.msg);
    }
  else
    TRIED ("$DBUS_SESSION_BUS_ADDRESS (unset); ");
  {
    const char *xdg = getenv ("XDG_RUNTIME_DIR");
    _cleanup_free_ char *p1 = NULL, *p2 = NULL, *p3 = NULL;
    if (xdg && xdg[0])
      xasprintf (&p1, "%s/bus", xdg);
    else
      TRIED ("$XDG_RUNTIME_DIR/bus ($XDG_RUNTIME_DIR unset); ");
    xasprintf (&p2, "/run/user/%u/bus", (unsigned) geteuid ());
    if (xdg && xdg[0])
      xasprintf (&p3, "%s/systemd/private", xdg);
    else
      xasprintf (&p3, "/run/user/%u/systemd/private", (unsigned) geteuid ());
    const char *paths[] = { p1, p2, p3 };
    for (size_t i = 0; i < ARRAY_SIZE (paths); i++)
      {
        _cleanup_free_ char *addr = NULL;
        if (paths[i] == NULL)
          continue;
        if (!socket_exists (paths[i]))
          {
            TRIED ("%s (no such socket); ", paths[i]);
            continue;
          }
        xasprintf (&addr, "unix:path=%s", paths[i]);
        /* The manager's private socket speaks to systemd directly, with
           no bus daemon in between.  */
        if (bus_at (addr, i != 2, out, &e) == 0)
          return 0;
        TRIED ("%s (%s); ", paths[i], e.msg);
      }
  }
#undef TRIED
  return rt_failx (err, ENOENT,
                   "rootless systemd cgroup driver: no user bus found, tried %s(the system bus is never used for a "
                   "rootless container); install dbus-user-session, and run from a login session of the user "
                   "(or `loginctl enable-linger`), or use the cgroupfs driver",
                   tried);
}

static const char *const SD_DEST = "org.freedesktop.systemd1";
static const char *const SD_PATH = "/org/freedesktop/systemd1";
static const char *const SD_MGR = "org.freedesktop.systemd1.Manager";

int
cg_sd_manager_property (sd_bus *bus, const char *name, char **out, rt_error *err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  int r = sd_bus_get_property_string (bus, SD_DEST, SD_PATH, SD_MGR, name, &e, out);
  if (r < 0)
    {
      rt_fail (err, -r, "systemd: get Manager.%s: %s", name, e.message ? e.message : "");
      sd_bus_error_free (&e);
      return rt_error_ret (err);
    }
  return 0;
}

static int
systemd_version (sd_bus *bus)
{
  _cleanup_free_ char *v = NULL;
  rt_error ignored = { 0 };
  const char *s;

  if (cg_sd_manager_property (bus, "Version", &v, &ignored) < 0)
    return -1;
  s = v;
  while (*s == '"' || *s == 'v')
    s++;
  return atoi (s);
}

/* ---- messages ------------------------------------------------------------ */

static int append_val (sd_bus_message *m, const sd_val *v);

static int
append_val (sd_bus_message *m, const sd_val *v)
{
  int r = 0;

  switch (v->sig[0])
    {
    case 'b':
      {
        int b = v->v.b;
        return sd_bus_message_append_basic (m, 'b', &b);
      }
    case 'y':
      {
        uint8_t x = (uint8_t) v->v.u;
        return sd_bus_message_append_basic (m, 'y', &x);
      }
    case 'n':
      {
        int16_t x = (int16_t) v->v.i;
        return sd_bus_message_append_basic (m, 'n', &x);
      }
    case 'q':
      {
        uint16_t x = (uint16_t) v->v.u;
        return sd_bus_message_append_basic (m, 'q', &x);
      }
    case 'i':
      {
        int32_t x = (int32_t) v->v.i;
        return sd_bus_message_append_basic (m, 'i', &x);
      }
    case 'u':
      {
        uint32_t x = (uint32_t) v->v.u;
        return sd_bus_message_append_basic (m, 'u', &x);
      }
    case 'x':
      return sd_bus_message_append_basic (m, 'x', &v->v.i);
    case 't':
      return sd_bus_message_append_basic (m, 't', &v->v.u);
    case 'd':
      return sd_bus_message_append_basic (m, 'd', &v->v.d);
    case 's':
    case 'o':
    case 'g':
      return sd_bus_message_append_basic (m, v->sig[0], v->v.s);
    case 'a':
      r = sd_bus_message_open_container (m, 'a', v->sig + 1);
      for (size_t i = 0; r >= 0 && i < v->n; i++)
        r = append_val (m, &v->items[i]);
      return r < 0 ? r : sd_bus_message_close_container (m);
    case '(':
      {
        _cleanup_free_ char *inner = xstrndup (v->sig + 1, strlen (v->sig) - 2);
        r = sd_bus_message_open_container (m, 'r', inner);
        for (size_t i = 0; r >= 0 && i < v->n; i++)
          r = append_val (m, &v->items[i]);
        return r < 0 ? r : sd_bus_message_close_container (m);
      }
    }
  return -EINVAL;
}

int
cg_sd_append_props (sd_bus_message *m, const sd_props *p)
{
  int r = sd_bus_message_open_container (m, 'a', "(sv)");

  for (size_t i = 0; r >= 0 && i < p->n; i++)
    {
      r = sd_bus_message_open_container (m, 'r', "sv");
      if (r >= 0)
        r = sd_bus_message_append_basic (m, 's', p->v[i].name);
      if (r >= 0)
        r = sd_bus_message_open_container (m, 'v', p->v[i].val.sig);
      if (r >= 0)
        r = append_val (m, &p->v[i].val);
      if (r >= 0)
        r = sd_bus_message_close_container (m);
      if (r >= 0)
        r = sd_bus_message_close_container (m);
    }
  return r < 0 ? r : sd_bus_message_close_container (m);
}

/* ---- jobs ------------------------------------------------------------------ */

typedef struct job_wait
{
  const char *path; /* the job we wait for; NULL until the reply came */
  char *result;
  /* JobRemoved may arrive before the method reply is processed.  */
  char **early_paths, **early_results;
  size_t n_early;
} job_wait;

static int
on_job_removed (sd_bus_message *m, void *data, sd_bus_error *e)
{
  job_wait *w = data;
  uint32_t id;
  const char *path, *unit, *result;

  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  if (w->path == NULL)
    {
      w->early_paths = xrealloc (w->early_paths, (w->n_early + 1) * sizeof (char *));
      w->early_results = xrealloc (w->early_results, (w->n_early + 1) * sizeof (char *));
      w->early_paths[w->n_early] = xstrdup (path);
      w->early_results[w->n_early++] = xstrdup (result);
    }
  else if (strcmp (path, w->path) == 0 && w->result == NULL)
    w->result = xstrdup (result);
  return 0;
}

static void
job_wait_free (job_wait *w)
{
  for (size_t i = 0; i < w->n_early; i++)
    {
      free (w->early_paths[i]);
      free (w->early_results[i]);
    }
  free (w->early_paths);
  free (w->early_results);
  free (w->result);
}

/* Call a Manager method that returns a job, and wait until that job is
 * finished; *result is systemd's word for how it ended ("done",
 * "failed", ...).  */
int
cg_sd_call_job (sd_bus *bus, sd_bus_message *call, int timeout_ms, char **result, sd_bus_error *berr,
                rt_error *err)
{
  sd_bus_slot *slot = NULL;
  sd_bus_message *reply = NULL;
  job_wait w = { 0 };
  struct timespec start, now;
  const char *path;
  int r;

  *result = NULL;
  /* On systemd's private socket messages carry no sender: only filter on
     it where a bus daemon stamps one.  */
  r = sd_bus_match_signal (bus, &slot, sd_bus_is_bus_client (bus) > 0 ? SD_DEST : NULL, SD_PATH, SD_MGR, "JobRemoved",
                           on_job_removed, &w);
  if (r < 0)
    return rt_fail (err, -r, "systemd: subscribe to JobRemoved");
  r = sd_bus_call (bus, call, (uint64_t) timeout_ms * 1000, berr, &reply);
  if (r < 0)
    {
      sd_bus_slot_unref (slot);
      job_wait_free (&w);
      return r;
    }
  r = sd_bus_message_read (reply, "o", &path);
  if (r < 0)
    {
      sd_bus_message_unref (reply);
      sd_bus_slot_unref (slot);
      job_wait_free (&w);
      return rt_fail (err, -r, "systemd: read the job of the reply");
    }
  w.path = path;
  for (size_t i = 0; i < w.n_early; i++)
    if (strcmp (w.early_paths[i], path) == 0)
      w.result = xstrdup (w.early_results[i]);
  clock_gettime (CLOCK_MONOTONIC, &start);
  while (w.result == NULL)
    {
      long elapsed;
      r = sd_bus_process (bus, NULL);
      if (r < 0)
        break;
      if (r > 0)
        continue;
      clock_gettime (CLOCK_MONOTONIC, &now);
      elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
      if (elapsed >= timeout_ms)
        {
          r = -ETIMEDOUT;
          break;
        }
      r = sd_bus_wait (bus, (uint64_t) (timeout_ms - elapsed) * 1000);
      if (r < 0)
        break;
    }
  if (w.result)
    *result = TAKE_PTR (w.result);
  sd_bus_message_unref (reply);
  sd_bus_slot_unref (slot);
  job_wait_free (&w);
  if (*result == NULL)
    return rt_fail (err, r == -ETIMEDOUT ? ETIMEDOUT : -r, "systemd: waiting for job %s", "to finish");
  return 0;
}

static int
reset_failed (sd_bus *bus, const char *unit)
{
  return sd_bus_call_method (bus, SD_DEST, SD_PATH, SD_MGR, "ResetFailedUnit", NULL, NULL, "s", unit);
}

int
cg_sd_start_unit (sd_bus *bus, const char *unit, const sd_props *props, rt_error *err)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      sd_bus_message *call = NULL;
      sd_bus_error be = SD_BUS_ERROR_NULL;
      _cleanup_free_ char *result = NULL;
      int r;

      r = sd_bus_message_new_method_call (bus, &call, SD_DEST, SD_PATH, SD_MGR, "StartTransientUnit");
      if (r >= 0)
        r = sd_bus_message_append (call, "ss", unit, "replace");
      if (r >= 0)
        r = cg_sd_append_props (call, props);
      if (r >= 0)
        r = sd_bus_message_append (call, "a(sa(sv))", 0);
      if (r < 0)
        {
          sd_bus_message_unref (call);
          return rt_fail (err, -r, "systemd: build StartTransientUnit for %s", unit);
        }
      r = cg_sd_call_job (bus, call, 30000, &result, &be, err);
      sd_bus_message_unref (call);
      if (r < 0 && sd_bus_error_has_name (&be, "org.freedesktop.systemd1.UnitExists") && attempt == 0)
        {
          /* Most likely a failed unit left from an earlier container of
             that name: let systemd forget it, and try once more.  */
          sd_bus_error_free (&be);
          reset_failed (bus, unit);
          continue;
        }
      if (r < 0 && sd_bus_error_is_set (&be))
        {
          rt_fail (err, -r, "unable to start unit \"%s\": %s", unit, be.message ? be.message : be.name);
          sd_bus_error_free (&be);
          return rt_error_ret (err);
        }
      if (r < 0)
        return rt_wrap (err, "unable to start unit \"%s\"", unit);
      if (strcmp (result, "done") != 0)
        {
          reset_failed (bus, unit);
          return rt_failx (err, EIO, "error creating systemd unit `%s`: got `%s`", unit, result);
        }
      return 0;
    }
  return rt_failx (err, EEXIST, "unable to start unit \"%s\": it exists", unit);
}

static int
stop_unit (sd_bus *bus, const char *unit, rt_error *err)
{
  sd_bus_message *call = NULL;
  sd_bus_error be = SD_BUS_ERROR_NULL;
  _cleanup_free_ char *result = NULL;
  int r;

  r = sd_bus_message_new_method_call (bus, &call, SD_DEST, SD_PATH, SD_MGR, "StopUnit");
  if (r >= 0)
    r = sd_bus_message_append (call, "ss", unit, "replace");
  if (r < 0)
    {
      sd_bus_message_unref (call);
      return rt_fail (err, -r, "systemd: build StopUnit for %s", unit);
    }
  r = cg_sd_call_job (bus, call, 30000, &result, &be, err);
  sd_bus_message_unref (call);
  if (r < 0 && sd_bus_error_has_name (&be, "org.freedesktop.systemd1.NoSuchUnit"))
    r = 0; /* gone already */
  else if (r < 0 && sd_bus_error_is_set (&be))
    rt_fail (err, -r, "systemd: stop unit %s: %s", unit, be.message ? be.message : be.name);
  sd_bus_error_free (&be);
  reset_failed (bus, unit);
  if (r < 0)
    return rt_error_ret (err);
  if (result && strcmp (result, "done") != 0)
    rt_warn ("error removing unit `%s`: got `%s`. Continuing...", unit, result);
  return 0;
}

static int
set_properties (sd_bus *bus, const char *unit, const sd_props *props, rt_error *err)
{
  sd_bus_message *call = NULL;
  sd_bus_error be = SD_BUS_ERROR_NULL;
  int r;

  if (props->n == 0)
    return 0;
  r = sd_bus_message_new_method_call (bus, &call, SD_DEST, SD_PATH, SD_MGR, "SetUnitProperties");
  if (r >= 0)
    r = sd_bus_message_append (call, "sb", unit, 1);
  if (r >= 0)
    r = cg_sd_append_props (call, props);
  if (r >= 0)
    r = sd_bus_call (bus, call, 30000000, &be, NULL);
  sd_bus_message_unref (call);
  if (r < 0)
    {
      rt_fail (err, -r, "unable to set unit properties: %s", be.message ? be.message : "");
      sd_bus_error_free (&be);
      return rt_error_ret (err);
    }
  return 0;
}

/* ---- the driver ------------------------------------------------------------ */

static int
ensure_bus (cg_manager *m, rt_error *err)
{
  sd_priv *p = priv (m);
  if (p->bus)
    return 0;
  if (cg_sd_bus_open (p->user_bus, &p->bus, err) < 0)
    return rt_error_ret (err);
  p->version = systemd_version (p->bus);
  return 0;
}

static int
sd_create (cg_manager *m, rt_error *err)
{
  /* The scope needs the init's PID to exist: see sd_enter.  */
  return ensure_bus (m, err);
}

static int
sd_enter (cg_manager *m, pid_t pid, rt_error *err)
{
  sd_priv *p = priv (m);
  sd_props props = { 0 };
  int ret;

  if (p->started)
    return cg_fs_enter (m, pid, err);
  if (ensure_bus (m, err) < 0)
    return rt_error_ret (err);
  sd_props_base (&props, &p->name, pid, m->layout == CG_LAYOUT_V2);
  ret = sd_props_resources (&props, p->pending, m->layout == CG_LAYOUT_V2, p->version, err);
  /* The annotations come last, so they override what was derived.  */
  sd_props_append_copy (&props, &p->extra);
  if (ret == 0)
    ret = cg_sd_start_unit (p->bus, p->name.unit, &props, err);
  sd_props_free (&props);
  if (ret < 0)
    return ret;
  p->started = true;
  /* Hierarchies systemd does not manage (v1 controllers it has no
     accounting for) still need the directories and the PID.  */
  ret = cg_fs_create (m, err);
  if (ret == 0)
    ret = cg_fs_enter (m, pid, err);
  if (ret == 0 && p->pending)
    ret = cg_fs_apply (m, p->pending, false, err);
  p->pending = NULL;
  return ret;
}

static int
sd_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err)
{
  sd_priv *p = priv (m);
  sd_props props = { 0 };
  int ret;

  if (!p->started)
    {
      p->pending = r;
      return 0;
    }
  if (ensure_bus (m, err) < 0)
    return rt_error_ret (err);
  ret = sd_props_resources (&props, r, m->layout == CG_LAYOUT_V2, p->version, err);
  if (ret == 0)
    ret = set_properties (p->bus, p->name.unit, &props, err);
  sd_props_free (&props);
  if (ret < 0)
    return ret;
  return cg_fs_apply (m, r, update, err);
}

static int
sd_destroy (cg_manager *m, rt_error *err)
{
  sd_priv *p = priv (m);
  rt_error e2 = { 0 };
  int ret = 0;

  if (ensure_bus (m, &e2) == 0)
    ret = stop_unit (p->bus, p->name.unit, err);
  else
    rt_warn ("cannot stop unit %s: %s", p->name.unit, e2.msg);
  /* systemd leaves sub-cgroups the container made.  */
  if (cg_fs_destroy (m, &e2) < 0 && ret == 0)
    {
      *err = e2;
      ret = rt_error_ret (err);
    }
  return ret;
}

static int
sd_pids (cg_manager *m, pid_t **out, size_t *n, rt_error *err)
{
  return cg_fs_driver.pids (m, out, n, err);
}

static int
sd_kill_all (cg_manager *m, int sig, rt_error *err)
{
  return cg_fs_driver.kill_all (m, sig, err);
}

static int
sd_freeze (cg_manager *m, bool frozen, rt_error *err)
{
  return cg_fs_driver.freeze (m, frozen, err);
}

static int
sd_is_frozen (cg_manager *m, bool *out, rt_error *err)
{
  return cg_fs_driver.is_frozen (m, out, err);
}

static void
sd_free_priv (cg_manager *m)
{
  sd_priv *p = priv (m);
  if (p == NULL)
    return;
  cg_fs_free_dirs (&p->fs);
  cg_systemd_name_free (&p->name);
  sd_props_free (&p->extra);
  if (p->bus)
    sd_bus_flush_close_unref (p->bus);
  free (p);
  m->priv = NULL;
}

static const cg_driver sd_driver = {
  .name = "systemd",
  .create = sd_create,
  .enter = sd_enter,
  /* The scope exists by the time anything is exec'd.  */
  .enter_exec = cg_fs_enter_exec,
  .apply = sd_apply,
  .destroy = sd_destroy,
  .pids = sd_pids,
  .kill_all = sd_kill_all,
  .freeze = sd_freeze,
  .is_frozen = sd_is_frozen,
  .stats = cg_fs_stats,
  .oom_watch = cg_fs_oom_watch,
  .free_priv = sd_free_priv,
};

int
cg_sd_plan (cg_manager *m, const cg_config *cfg, rt_error *err)
{
  sd_priv *p = xzalloc (sizeof *p);
  _cleanup_free_ char *base = NULL, *path = NULL;
  cg_config fs_cfg = *cfg;

  p->fs.unified = -1;
  m->priv = p;
  m->drv = &sd_driver;
  p->user_bus = cfg->rootless;
  if (cg_systemd_name_parse (cfg->cgroups_path, cfg->id, cfg->rootless, &p->name, err) < 0)
    return rt_error_ret (err);
  if (sd_props_from_annotations (cfg->annotations, cfg->n_annotations, &p->extra, err) < 0)
    return rt_error_ret (err);
  if (cfg->rootless)
    {
      if (m->layout != CG_LAYOUT_V2)
        return rt_failx (err, ENOTSUP, "the systemd cgroup driver needs cgroup v2 for a rootless container");
      /* The user's slices live inside the user manager's own cgroup,
         typically /user.slice/user-UID.slice/user@UID.service.  */
      if (ensure_bus (m, err) < 0)
        return rt_error_ret (err);
      if (cg_sd_manager_property (p->bus, "ControlGroup", &base, err) < 0)
        return rt_error_ret (err);
    }
  xasprintf (&path, "%s%s/%s", base ? base : "", strcmp (p->name.slice_path, "/") == 0 ? "" : p->name.slice_path,
             p->name.unit);
  fs_cfg.cgroups_path = path;
  return cg_fs_plan (m, &fs_cfg, err);
}

char *
cg_sd_serialize (const cg_manager *m)
{
  sd_priv *p = priv (m);
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "driver", "systemd");
  json_w_kv_string (w, "rel", m->rel_path);
  json_w_kv_string (w, "unit", p->name.unit);
  json_w_kv_string (w, "slice", p->name.slice);
  json_w_kv_bool (w, "user_bus", p->user_bus);
  cg_fs_dirs_write (w, &p->fs);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

int
cg_sd_load (cg_manager *m, const json_node *root, rt_error *err)
{
  sd_priv *p = xzalloc (sizeof *p);
  const json_node *unit = json_get (root, "unit"), *slice = json_get (root, "slice"), *ub = json_get (root, "user_bus"),
                  *rel = json_get (root, "rel");

  p->fs.unified = -1;
  m->priv = p;
  m->drv = &sd_driver;
  if (unit == NULL || json_string (unit) == NULL)
    return rt_failx (err, EINVAL, "state.json cgroup: systemd unit missing");
  p->name.unit = xstrdup (json_string (unit));
  p->name.name = xstrdup (p->name.unit);
  p->name.slice = xstrdup (slice && json_string (slice) ? json_string (slice) : "");
  p->user_bus = ub && json_type (ub) == JSON_BOOL && json_bool (ub);
  p->started = true;
  m->rel_path = xstrdup (rel && json_string (rel) ? json_string (rel) : "");
  cg_fs_dirs_load (&p->fs, json_get (root, "paths"));
  return 0;
}

#else /* !HAVE_SYSTEMD */

int
cg_sd_plan (cg_manager *m, const cg_config *cfg, rt_error *err)
{
  return rt_failx (err, ENOTSUP, "this runtime was built without the systemd cgroup driver (libsystemd)");
}

char *
cg_sd_serialize (const cg_manager *m)
{
  return NULL;
}

int
cg_sd_load (cg_manager *m, const json_node *root, rt_error *err)
{
  return rt_failx (err, ENOTSUP, "the container uses the systemd cgroup driver, which this build does not have");
}

#endif
