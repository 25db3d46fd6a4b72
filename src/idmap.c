/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "idmap.h"

int
subid_parse (const char *text, const char *name, uint32_t id, subid_range **out, size_t *n, rt_error *err)
{
  (void) text;
  (void) name;
  (void) id;
  (void) out;
  (void) n;
  (void) err;
  return rt_failx (err, ENOSYS, "subid_parse: not implemented yet");
}

int
idmap_plan (const spec_idmap *maps, size_t n, bool is_gid, bool privileged, uint32_t self, enum idmap_method *out, rt_error *err)
{
  (void) maps;
  (void) n;
  (void) is_gid;
  (void) privileged;
  (void) self;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "idmap_plan: not implemented yet");
}

int
idmap_check_subids (const spec_idmap *maps, size_t n, bool is_gid, uint32_t self, const char *user, const subid_range *ranges, size_t n_ranges, rt_error *err)
{
  (void) maps;
  (void) n;
  (void) is_gid;
  (void) self;
  (void) user;
  (void) ranges;
  (void) n_ranges;
  (void) err;
  return rt_failx (err, ENOSYS, "idmap_check_subids: not implemented yet");
}

char *
idmap_format (const spec_idmap *maps, size_t n)
{
  (void) maps;
  (void) n;
  return NULL;
}

int
idmap_apply (pid_t pid, const spec_idmap *uid_maps, size_t n_uid, const spec_idmap *gid_maps, size_t n_gid, rt_error *err)
{
  (void) pid;
  (void) uid_maps;
  (void) n_uid;
  (void) gid_maps;
  (void) n_gid;
  (void) err;
  return rt_failx (err, ENOSYS, "idmap_apply: not implemented yet");
}

bool
idmap_host_to_container (const spec_idmap *maps, size_t n, uint32_t host_id, uint32_t *out)
{
  (void) maps;
  (void) n;
  (void) host_id;
  (void) out;
  return false;
}

bool
idmap_container_to_host (const spec_idmap *maps, size_t n, uint32_t container_id, uint32_t *out)
{
  (void) maps;
  (void) n;
  (void) container_id;
  (void) out;
  return false;
}
