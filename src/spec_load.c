/* The config loader: config.json text into the typed structs of spec.h.
 *
 * This file holds the generic, table-driven walker (see spec_load_priv.h)
 * and the tables of the top level, process, root, mounts and hooks;
 * spec_load_linux.c holds the `linux` object.  Only what can be checked
 * from the document alone is checked here (types, ranges, required
 * members, a few enums); whether the host can do it is left to the
 * modules that apply the config.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_load_priv.h"
#include "util.h"

/* ---- the JSON path ------------------------------------------------------ */

static size_t __attribute__ ((format (printf, 2, 3)))
path_append (sl_ctx *c, const char *fmt, ...)
{
  size_t mark = c->len, room = sizeof c->path - c->len;
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (c->path + c->len, room, fmt, ap);
  va_end (ap);
  /* An absurdly deep path is cut short rather than lost.  */
  if (n > 0)
    c->len += (size_t) n < room ? (size_t) n : room - 1;
  return mark;
}

size_t
sl_push_key (sl_ctx *c, const char *key)
{
  return path_append (c, c->len ? ".%s" : "%s", key);
}

size_t
sl_push_index (sl_ctx *c, size_t i)
{
  return path_append (c, "[%zu]", i);
}

size_t
sl_push_mapkey (sl_ctx *c, const char *key)
{
  size_t mark = path_append (c, "[\"");

  /* Map keys are arbitrary text; keep the message on one line and the
     quoting unambiguous.  */
  for (const unsigned char *p = (const unsigned char *) key; *p && c->len < sizeof c->path - 1; p++)
    {
      if (*p == '"' || *p == '\\')
        path_append (c, "\\%c", *p);
      else if (*p < 0x20 || *p == 0x7f)
        path_append (c, "\\x%02x", *p);
      else
        path_append (c, "%c", *p);
    }
  path_append (c, "\"]");
  return mark;
}

void
sl_pop (sl_ctx *c, size_t mark)
{
  c->len = mark;
  c->path[mark] = '\0';
}

static int
vfail (sl_ctx *c, const char *key, const char *fmt, va_list ap)
{
  char msg[RT_ERROR_MSG_MAX];
  size_t mark = key ? sl_push_key (c, key) : c->len;

  vsnprintf (msg, sizeof msg, fmt, ap);
  if (c->len > 0)
    rt_failx (c->err, EINVAL, "%s: %s: %s", c->doc, c->path, msg);
  else
    rt_failx (c->err, EINVAL, "%s: %s", c->doc, msg);
  sl_pop (c, mark);
  return -EINVAL;
}

int
sl_fail (sl_ctx *c, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vfail (c, NULL, fmt, ap);
  va_end (ap);
  return r;
}

int
sl_fail_at (sl_ctx *c, const char *key, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vfail (c, key, fmt, ap);
  va_end (ap);
  return r;
}

/* ---- single values -------------------------------------------------------- */

static int
expect (sl_ctx *c, const json_node *n, enum json_type t)
{
  if (json_type (n) != t)
    return sl_fail (c, "expected %s, got %s", json_type_name (t), json_type_name (json_type (n)));
  return 0;
}

/* Numbers are quoted in messages as written; a fuzzer's 10,000-digit one
   is cut to a readable length.  */
#define NUM_FMT "%.40s"

static int
node_uint (sl_ctx *c, const json_node *n, uint64_t max, uint64_t *out)
{
  uint64_t v;
  int r;

  if (json_type (n) != JSON_NUMBER)
    return sl_fail (c, "expected an unsigned integer, got %s", json_type_name (json_type (n)));
  r = json_get_u64 (n, &v);
  if (r == -EINVAL)
    return sl_fail (c, "expected an unsigned integer, got " NUM_FMT, json_number_text (n));
  if (r < 0 || v > max)
    return sl_fail (c, NUM_FMT " is out of range (0..%" PRIu64 ")", json_number_text (n), max);
  *out = v;
  return 0;
}

static int
node_int (sl_ctx *c, const json_node *n, int64_t min, int64_t max, int64_t *out)
{
  int64_t v;
  int r;

  if (json_type (n) != JSON_NUMBER)
    return sl_fail (c, "expected an integer, got %s", json_type_name (json_type (n)));
  r = json_get_i64 (n, &v);
  if (r == -EINVAL)
    return sl_fail (c, "expected an integer, got " NUM_FMT, json_number_text (n));
  if (r < 0 || v < min || v > max)
    return sl_fail (c, NUM_FMT " is out of range (%" PRId64 "..%" PRId64 ")", json_number_text (n), min, max);
  *out = v;
  return 0;
}

/* A scalar of kind k, stored with the C type the kind stands for.  */
static int
node_scalar (sl_ctx *c, const json_node *n, enum sl_kind k, void *dst)
{
  uint64_t u;
  int64_t i;
  int r;

  switch (k)
    {
    case SL_STR:
      r = expect (c, n, JSON_STRING);
      if (r == 0)
        *(char **) dst = xstrdup (json_string (n));
      return r;
    case SL_BOOL:
      r = expect (c, n, JSON_BOOL);
      if (r == 0)
        *(bool *) dst = json_bool (n);
      return r;
    case SL_U16:
      r = node_uint (c, n, UINT16_MAX, &u);
      if (r == 0)
        *(uint16_t *) dst = (uint16_t) u;
      return r;
    case SL_U32:
      r = node_uint (c, n, UINT32_MAX, &u);
      if (r == 0)
        *(uint32_t *) dst = (uint32_t) u;
      return r;
    case SL_U64:
      return node_uint (c, n, UINT64_MAX, dst);
    case SL_I32:
      r = node_int (c, n, INT32_MIN, INT32_MAX, &i);
      if (r == 0)
        *(int32_t *) dst = (int32_t) i;
      return r;
    case SL_I64:
      return node_int (c, n, INT64_MIN, INT64_MAX, dst);
    default:
      abort (); /* a table names a container kind where a scalar belongs */
    }
}

/* ---- the walker ------------------------------------------------------------ */

/* Find `key` in `obj` and make it the current path.  Returns 1 when it is
   there (the caller pops *mark), 0 when it is absent or null and optional,
   < 0 when it is required.  JSON null counts as absent because Go's
   encoder writes it for nil pointers and slices.  */
static int
enter (sl_ctx *c, const json_node *obj, const char *key, bool required, const json_node **m, size_t *mark)
{
  *m = json_get (obj, key);
  if (*m == NULL || json_type (*m) == JSON_NULL)
    return required ? sl_fail_at (c, key, "required field is missing") : 0;
  *mark = sl_push_key (c, key);
  return 1;
}

int
sl_parse (sl_ctx *c, const json_node *obj, void *dst, const sl_type *t)
{
  if (expect (c, obj, JSON_OBJECT) < 0)
    return -EINVAL;
  if (sl_get_fields (c, obj, dst, t->fields, t->n_fields) < 0)
    return -EINVAL;
  return t->check ? t->check (c, obj, dst) : 0;
}

/* Arrays are stored in their owner before they are filled, zeroed and one
   element longer than needed: a half-parsed array is then freed like a
   whole one, and string arrays come out NULL-terminated.  */
static int
parse_array (sl_ctx *c, const json_node *arr, const sl_field *f, void *base)
{
  static const size_t elem_size[] = { [SL_STRV] = sizeof (char *), [SL_U32V] = sizeof (uint32_t) };
  static const enum sl_kind elem_kind[] = { [SL_STRV] = SL_STR, [SL_U32V] = SL_U32 };
  size_t len, size = f->type ? f->type->size : elem_size[f->kind];
  char *v;

  if (expect (c, arr, JSON_ARRAY) < 0)
    return -EINVAL;
  len = json_len (arr);
  v = xzalloc ((len + 1) * size);
  *(void **) ((char *) base + f->off) = v;
  *(size_t *) ((char *) base + f->aux) = len;
  for (size_t i = 0; i < len; i++)
    {
      size_t mark = sl_push_index (c, i);
      const json_node *e = json_at (arr, i);
      int r = f->type ? sl_parse (c, e, v + i * size, f->type) : node_scalar (c, e, elem_kind[f->kind], v + i * size);

      sl_pop (c, mark);
      if (r < 0)
        return r;
    }
  return 0;
}

/* An object used as a map.  With duplicate keys the last one wins, as with
   json_get and Go's decoder, and only that one is kept.  */
static int
parse_map (sl_ctx *c, const json_node *map, const sl_field *f, void *base)
{
  size_t len, n = 0, size = f->type ? f->type->size : sizeof (spec_kv);
  char *v;

  if (expect (c, map, JSON_OBJECT) < 0)
    return -EINVAL;
  len = json_len (map);
  for (size_t i = 0; i < len; i++)
    if (json_get (map, json_key_at (map, i)) == json_value_at (map, i))
      n++;
  v = xzalloc ((n + 1) * size);
  *(void **) ((char *) base + f->off) = v;
  *(size_t *) ((char *) base + f->aux) = n;
  for (size_t i = 0; i < len; i++)
    {
      const char *key = json_key_at (map, i);
      const json_node *value = json_value_at (map, i);
      size_t mark;
      int r;

      if (json_get (map, key) != value)
        continue;
      mark = sl_push_mapkey (c, key);
      if (f->type)
        {
          /* The entry's key is its struct's first member.  */
          *(char **) v = xstrdup (key);
          r = sl_parse (c, value, v, f->type);
        }
      else
        {
          spec_kv *kv = (spec_kv *) v;
          r = node_scalar (c, value, SL_STR, &kv->value);
          if (r == 0)
            kv->key = xstrdup (key);
        }
      sl_pop (c, mark);
      if (r < 0)
        return r;
      v += size;
    }
  return 0;
}

/* Whether aux is the n_ count of an array rather than a has_ flag.  */
static bool
has_count (const sl_field *f)
{
  switch (f->kind)
    {
    case SL_STRV:
    case SL_U32V:
    case SL_STRMAP:
    case SL_OBJS:
    case SL_MAP:
      return true;
    default:
      return false;
    }
}

static int
parse_member (sl_ctx *c, const json_node *m, const sl_field *f, void *base)
{
  void *p = (char *) base + f->off;

  switch (f->kind)
    {
    case SL_STRV:
    case SL_U32V:
    case SL_OBJS:
      return parse_array (c, m, f, base);
    case SL_STRMAP:
    case SL_MAP:
      return parse_map (c, m, f, base);
    case SL_OBJ:
      if (expect (c, m, JSON_OBJECT) < 0)
        return -EINVAL;
      *(void **) p = xzalloc (f->type->size);
      return sl_parse (c, m, *(void **) p, f->type);
    case SL_INLINE:
      return sl_parse (c, m, p, f->type);
    default:
      return node_scalar (c, m, f->kind, p);
    }
}

int
sl_get_fields (sl_ctx *c, const json_node *obj, void *base, const sl_field *fields, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      const sl_field *f = &fields[i];
      const json_node *m;
      size_t mark;
      int r;

      r = enter (c, obj, f->key, f->required, &m, &mark);
      if (r <= 0)
        {
          if (r < 0)
            return r;
          continue;
        }
      r = parse_member (c, m, f, base);
      sl_pop (c, mark);
      if (r < 0)
        return r;
      if (f->aux != SL_NONE && !has_count (f))
        *(bool *) ((char *) base + f->aux) = true;
    }
  return 0;
}

int
sl_get_string (sl_ctx *c, const json_node *obj, const char *key, bool required, char **out)
{
  const json_node *m;
  size_t mark;
  int r;

  r = enter (c, obj, key, required, &m, &mark);
  if (r <= 0)
    return r;
  r = node_scalar (c, m, SL_STR, out);
  sl_pop (c, mark);
  return r < 0 ? r : 1;
}

void
sl_clear (void *base, const sl_type *t)
{
  for (size_t i = 0; i < t->n_fields; i++)
    {
      const sl_field *f = &t->fields[i];
      void *p = (char *) base + f->off;
      size_t n = has_count (f) ? *(size_t *) ((char *) base + f->aux) : 0;

      switch (f->kind)
        {
        case SL_STR:
        case SL_U32V:
          free (*(void **) p);
          break;
        case SL_STRV:
          strv_free_n (*(char ***) p, n);
          break;
        case SL_STRMAP:
          for (size_t j = 0; j < n; j++)
            {
              free ((*(spec_kv **) p)[j].key);
              free ((*(spec_kv **) p)[j].value);
            }
          free (*(void **) p);
          break;
        case SL_OBJ:
          if (*(void **) p)
            sl_clear (*(void **) p, f->type);
          free (*(void **) p);
          break;
        case SL_OBJS:
        case SL_MAP:
          for (size_t j = 0; *(char **) p && j < n; j++)
            {
              char *e = *(char **) p + j * f->type->size;
              if (f->kind == SL_MAP)
                free (*(char **) e);
              sl_clear (e, f->type);
            }
          free (*(void **) p);
          break;
        case SL_INLINE:
          sl_clear (p, f->type);
          break;
        default:
          break;
        }
    }
}

/* ---- process ----------------------------------------------------------------- */

static const sl_field user_fields[] = {
  SL_REQ (spec_user, "uid", SL_U32, uid),
  SL_REQ (spec_user, "gid", SL_U32, gid),
  SL_OPT (spec_user, "umask", SL_U32, umask),
  SL_ARR (spec_user, "additionalGids", SL_U32V, additional_gids),
  SL_FIELD (spec_user, "username", SL_STR, username),
};
static const sl_type user_type = SL_TYPE (spec_user, user_fields, NULL);

/* consoleSize's members live in spec_process itself.  */
static const sl_field console_fields[] = {
  SL_REQ (spec_process, "height", SL_U32, console_height),
  SL_REQ (spec_process, "width", SL_U32, console_width),
};
static const sl_type console_type = SL_TYPE (spec_process, console_fields, NULL);

static const sl_field caps_fields[] = {
  SL_ARR (spec_capabilities, "bounding", SL_STRV, bounding),
  SL_ARR (spec_capabilities, "effective", SL_STRV, effective),
  SL_ARR (spec_capabilities, "inheritable", SL_STRV, inheritable),
  SL_ARR (spec_capabilities, "permitted", SL_STRV, permitted),
  SL_ARR (spec_capabilities, "ambient", SL_STRV, ambient),
};
static const sl_type caps_type = SL_TYPE (spec_capabilities, caps_fields, NULL);

static const sl_field rlimit_fields[] = {
  SL_REQ (spec_rlimit, "type", SL_STR, type),
  SL_REQ (spec_rlimit, "soft", SL_U64, soft),
  SL_REQ (spec_rlimit, "hard", SL_U64, hard),
};
static const sl_type rlimit_type = SL_TYPE (spec_rlimit, rlimit_fields, NULL);

static const sl_field scheduler_fields[] = {
  SL_REQ (spec_scheduler, "policy", SL_STR, policy),
  SL_FIELD (spec_scheduler, "nice", SL_I32, nice),
  SL_FIELD (spec_scheduler, "priority", SL_I32, priority),
  SL_ARR (spec_scheduler, "flags", SL_STRV, flags),
  SL_FIELD (spec_scheduler, "runtime", SL_U64, runtime),
  SL_FIELD (spec_scheduler, "deadline", SL_U64, deadline),
  SL_FIELD (spec_scheduler, "period", SL_U64, period),
};
static const sl_type scheduler_type = SL_TYPE (spec_scheduler, scheduler_fields, NULL);

/* config.md calls priority REQUIRED but the JSON schema only requires
   class, and runc takes a missing priority as 0; so do we.  */
static const sl_field io_priority_fields[] = {
  SL_REQ (spec_io_priority, "class", SL_STR, class_),
  SL_FIELD (spec_io_priority, "priority", SL_I32, priority),
};
static const sl_type io_priority_type = SL_TYPE (spec_io_priority, io_priority_fields, NULL);

static const sl_field cpu_affinity_fields[] = {
  SL_FIELD (spec_cpu_affinity, "initial", SL_STR, initial),
  SL_FIELD (spec_cpu_affinity, "final", SL_STR, final),
};
static const sl_type cpu_affinity_type = SL_TYPE (spec_cpu_affinity, cpu_affinity_fields, NULL);

static int
check_process (sl_ctx *c, const json_node *obj, void *dst)
{
  spec_process *p = dst;

  if (p->n_args == 0)
    return sl_fail_at (c, "args", "at least one entry is required");
  if (p->cwd[0] != '/')
    return sl_fail_at (c, "cwd", "must be an absolute path, got \"%s\"", p->cwd);
  /* The spec makes a repeated rlimit type an error.  */
  for (size_t i = 1; i < p->n_rlimits; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp (p->rlimits[i].type, p->rlimits[j].type) == 0)
        {
          size_t mark = sl_push_key (c, "rlimits");
          sl_push_index (c, i);
          sl_fail_at (c, "type", "rlimit \"%s\" is listed twice", p->rlimits[i].type);
          sl_pop (c, mark);
          return -EINVAL;
        }
  return 0;
}

static const sl_field process_fields[] = {
  SL_FIELD (spec_process, "terminal", SL_BOOL, terminal),
  SL_FLAT ("consoleSize", offsetof (spec_process, has_console_size), &console_type),
  SL_REQ_EMBED (spec_process, "user", user, &user_type),
  SL_REQ_ARR (spec_process, "args", SL_STRV, args),
  SL_FIELD (spec_process, "commandLine", SL_STR, command_line),
  SL_ARR (spec_process, "env", SL_STRV, env),
  SL_REQ (spec_process, "cwd", SL_STR, cwd),
  SL_NEW (spec_process, "capabilities", capabilities, &caps_type),
  SL_OBJS (spec_process, "rlimits", rlimits, &rlimit_type),
  SL_FIELD (spec_process, "noNewPrivileges", SL_BOOL, no_new_privileges),
  SL_FIELD (spec_process, "apparmorProfile", SL_STR, apparmor_profile),
  SL_OPT (spec_process, "oomScoreAdj", SL_I32, oom_score_adj),
  SL_NEW (spec_process, "scheduler", scheduler, &scheduler_type),
  SL_FIELD (spec_process, "selinuxLabel", SL_STR, selinux_label),
  SL_NEW (spec_process, "ioPriority", io_priority, &io_priority_type),
  SL_NEW (spec_process, "execCPUAffinity", exec_cpu_affinity, &cpu_affinity_type),
};
static const sl_type process_type = SL_TYPE (spec_process, process_fields, check_process);

/* ---- root, mounts, hooks -------------------------------------------------------- */

static const sl_field idmap_fields[] = {
  SL_REQ (spec_idmap, "containerID", SL_U32, container_id),
  SL_REQ (spec_idmap, "hostID", SL_U32, host_id),
  SL_REQ (spec_idmap, "size", SL_U32, size),
};
const sl_type sl_idmap_type = SL_TYPE (spec_idmap, idmap_fields, NULL);

static const sl_field root_fields[] = {
  SL_REQ (spec_root, "path", SL_STR, path),
  SL_FIELD (spec_root, "readonly", SL_BOOL, readonly),
};
static const sl_type root_type = SL_TYPE (spec_root, root_fields, NULL);

static int
check_mount (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_mount *m = dst;

  /* config.md: each of the two MUST be specified along with the other.  */
  if ((m->uid_mappings == NULL) != (m->gid_mappings == NULL))
    return sl_fail_at (c, m->uid_mappings ? "gidMappings" : "uidMappings", "required when %s is set",
                       m->uid_mappings ? "uidMappings" : "gidMappings");
  return 0;
}

static const sl_field mount_fields[] = {
  SL_REQ (spec_mount, "destination", SL_STR, destination),
  SL_FIELD (spec_mount, "type", SL_STR, type),
  SL_FIELD (spec_mount, "source", SL_STR, source),
  SL_ARR (spec_mount, "options", SL_STRV, options),
  SL_OBJS (spec_mount, "uidMappings", uid_mappings, &sl_idmap_type),
  SL_OBJS (spec_mount, "gidMappings", gid_mappings, &sl_idmap_type),
};
static const sl_type mount_type = SL_TYPE (spec_mount, mount_fields, check_mount);

static int
check_hook (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_hook *h = dst;

  if (h->path[0] != '/')
    return sl_fail_at (c, "path", "must be an absolute path, got \"%s\"", h->path);
  if (h->has_timeout && h->timeout <= 0)
    return sl_fail_at (c, "timeout", "must be greater than zero, got %" PRId32, h->timeout);
  return 0;
}

static const sl_field hook_fields[] = {
  SL_REQ (spec_hook, "path", SL_STR, path),
  SL_ARR (spec_hook, "args", SL_STRV, args),
  SL_ARR (spec_hook, "env", SL_STRV, env),
  SL_OPT (spec_hook, "timeout", SL_I32, timeout),
};
static const sl_type hook_type = SL_TYPE (spec_hook, hook_fields, check_hook);

static const sl_field hooks_fields[] = {
  SL_OBJS (spec_hooks, "prestart", prestart, &hook_type),
  SL_OBJS (spec_hooks, "createRuntime", create_runtime, &hook_type),
  SL_OBJS (spec_hooks, "createContainer", create_container, &hook_type),
  SL_OBJS (spec_hooks, "startContainer", start_container, &hook_type),
  SL_OBJS (spec_hooks, "poststart", poststart, &hook_type),
  SL_OBJS (spec_hooks, "poststop", poststop, &hook_type),
};
static const sl_type hooks_type = SL_TYPE (spec_hooks, hooks_fields, NULL);

/* ---- the document ------------------------------------------------------------------ */

/* process is OPTIONAL in the spec (only `start` needs it); root is
   REQUIRED on every platform but Windows Hyper-V.  */
static const sl_field spec_fields[] = {
  SL_REQ (spec, "ociVersion", SL_STR, oci_version),
  SL_NEW (spec, "process", process, &process_type),
  SL_REQ_NEW (spec, "root", root, &root_type),
  SL_FIELD (spec, "hostname", SL_STR, hostname),
  SL_FIELD (spec, "domainname", SL_STR, domainname),
  SL_OBJS (spec, "mounts", mounts, &mount_type),
  SL_NEW (spec, "hooks", hooks, &hooks_type),
  SL_ARR (spec, "annotations", SL_STRMAP, annotations),
  SL_NEW (spec, "linux", linux_, &sl_linux_type),
};
static const sl_type spec_type = SL_TYPE (spec, spec_fields, NULL);

/* Parse a whole document whose top level is an object of type `t`.  */
static void *
load (const char *text, size_t len, const char *name, const sl_type *t, rt_error *err)
{
  sl_ctx c = { .doc = name, .err = err };
  json_node *root;
  void *out;

  root = json_parse (text, len, name, err);
  if (root == NULL)
    return NULL;
  out = xzalloc (t->size);
  if (sl_parse (&c, root, out, t) < 0)
    {
      sl_clear (out, t);
      free (out);
      out = NULL;
    }
  json_free (root);
  return out;
}

spec *
spec_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  return load (text, len, name, &spec_type, err);
}

spec *
spec_load_file (const char *path, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  const char *base = strrchr (path, '/');
  ssize_t len;

  len = read_file_at (AT_FDCWD, path, &text, err);
  if (len < 0)
    return NULL;
  return spec_load_text (text, (size_t) len, base ? base + 1 : path, err);
}

spec_process *
spec_process_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  return load (text, len, name, &process_type, err);
}

spec_resources *
spec_resources_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  return load (text, len, name, &sl_resources_type, err);
}

void
spec_free (spec *s)
{
  if (s == NULL)
    return;
  sl_clear (s, &spec_type);
  free (s);
}

void
spec_process_free (spec_process *p)
{
  if (p == NULL)
    return;
  sl_clear (p, &process_type);
  free (p);
}

void
spec_resources_free (spec_resources *r)
{
  if (r == NULL)
    return;
  sl_clear (r, &sl_resources_type);
  free (r);
}

/* ---- helpers over the parsed structure -------------------------------------------- */

static const char *const ns_names[SPEC_NS__COUNT] = {
  [SPEC_NS_PID] = "pid",   [SPEC_NS_NETWORK] = "network", [SPEC_NS_MOUNT] = "mount", [SPEC_NS_IPC] = "ipc",
  [SPEC_NS_UTS] = "uts",   [SPEC_NS_USER] = "user",       [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
};

const char *
spec_ns_type_name (enum spec_ns_type t)
{
  return (unsigned) t < SPEC_NS__COUNT ? ns_names[t] : NULL;
}

int
spec_ns_type_from_name (const char *name)
{
  for (int i = 0; i < SPEC_NS__COUNT; i++)
    if (strcmp (ns_names[i], name) == 0)
      return i;
  return -1;
}

const spec_namespace *
spec_find_namespace (const spec *s, enum spec_ns_type t)
{
  if (s == NULL || s->linux_ == NULL)
    return NULL;
  for (size_t i = 0; i < s->linux_->n_namespaces; i++)
    if (s->linux_->namespaces[i].type == t)
      return &s->linux_->namespaces[i];
  return NULL;
}

const char *
spec_annotation (const spec *s, const char *key)
{
  if (s == NULL)
    return NULL;
  for (size_t i = 0; i < s->n_annotations; i++)
    if (strcmp (s->annotations[i].key, key) == 0)
      return s->annotations[i].value;
  return NULL;
}
