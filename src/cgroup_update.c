/* The pure half of `update`: which resources an update changes, how they
 * merge into the container's stored linux.resources, which partner
 * values must be written along (cpu.max needs quota AND period; v1 memsw
 * and v2 memory.swap.max need the memory limit), and linux.resources
 * back to JSON for the stored config.json.  */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgroup_priv.h"
#include "cgroup_update.h"
#include "json.h"
#include "util.h"

static void
set_str (char **dst, const char *src)
{
  free (*dst);
  *dst = src ? xstrdup (src) : NULL;
}

/* Replace the entry for the same device, or append.  */
static void
upsert_throttle (spec_throttle_device **list, size_t *n, const spec_throttle_device *d)
{
  for (size_t i = 0; i < *n; i++)
    if ((*list)[i].major == d->major && (*list)[i].minor == d->minor)
      {
        (*list)[i].rate = d->rate;
        return;
      }
  *list = xrealloc (*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = *d;
}

static void
upsert_weight (spec_weight_device **list, size_t *n, const spec_weight_device *d)
{
  for (size_t i = 0; i < *n; i++)
    if ((*list)[i].major == d->major && (*list)[i].minor == d->minor)
      {
        if (d->has_weight)
          (*list)[i].has_weight = true, (*list)[i].weight = d->weight;
        if (d->has_leaf_weight)
          (*list)[i].has_leaf_weight = true, (*list)[i].leaf_weight = d->leaf_weight;
        return;
      }
  *list = xrealloc (*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = *d;
}

static void
upsert_kv (spec_kv **list, size_t *n, const spec_kv *kv)
{
  for (size_t i = 0; i < *n; i++)
    if (strcmp ((*list)[i].key, kv->key) == 0)
      {
        set_str (&(*list)[i].value, kv->value);
        return;
      }
  *list = xrealloc (*list, (*n + 1) * sizeof **list);
  (*list)[*n].key = xstrdup (kv->key);
  (*list)[*n].value = xstrdup (kv->value);
  (*n)++;
}

void
cg_update_restrict (spec_resources *u)
{
  /* runc's update changes memory, cpu, blockIO, pids and unified only;
     device rules, hugepages, network and rdma stay as created.  */
  for (size_t i = 0; i < u->n_devices; i++)
    {
      free (u->devices[i].type);
      free (u->devices[i].access);
    }
  free (u->devices);
  u->devices = NULL;
  u->n_devices = 0;
  for (size_t i = 0; i < u->n_hugepage_limits; i++)
    free (u->hugepage_limits[i].page_size);
  free (u->hugepage_limits);
  u->hugepage_limits = NULL;
  u->n_hugepage_limits = 0;
  u->has_network = u->has_net_class_id = false;
  for (size_t i = 0; i < u->n_net_priorities; i++)
    free (u->net_priorities[i].name);
  free (u->net_priorities);
  u->net_priorities = NULL;
  u->n_net_priorities = 0;
  for (size_t i = 0; i < u->n_rdma; i++)
    free (u->rdma[i].device);
  free (u->rdma);
  u->rdma = NULL;
  u->n_rdma = 0;
}

void
cg_update_pair (spec_resources *u, const spec_resources *old)
{
  const spec_memory *om = old ? old->memory : NULL;
  const spec_cpu *oc = old ? old->cpu : NULL;

  if (u->memory)
    {
      spec_memory *m = u->memory;
      if (m->has_limit && !m->has_swap)
        {
          /* Unlimited memory without a word about swap: runc sets swap to
             "unset", which the writers turn into "unlimited too".  */
          if (m->limit == -1)
            ;
          else if (om && om->has_swap)
            m->has_swap = true, m->swap = om->swap;
        }
      else if (m->has_swap && !m->has_limit && om && om->has_limit)
        m->has_limit = true, m->limit = om->limit;
    }
  if (u->cpu)
    {
      spec_cpu *c = u->cpu;
      /* Setting quota and period independently is allowed (runc keeps
         the other one's old value): cpu.max needs both.  */
      if (c->has_quota && !c->has_period && oc && oc->has_period)
        c->has_period = true, c->period = oc->period;
      else if (c->has_period && !c->has_quota && oc && oc->has_quota)
        c->has_quota = true, c->quota = oc->quota;
    }
}

void
cg_update_merge (spec_resources *dst, const spec_resources *u)
{
  if (u->memory)
    {
      const spec_memory *s = u->memory;
      spec_memory *d;
      if (dst->memory == NULL)
        dst->memory = xzalloc (sizeof *dst->memory);
      d = dst->memory;
      if (s->has_limit)
        d->has_limit = true, d->limit = s->limit;
      if (s->has_reservation)
        d->has_reservation = true, d->reservation = s->reservation;
      if (s->has_swap)
        d->has_swap = true, d->swap = s->swap;
      else if (s->has_limit && s->limit == -1)
        d->has_swap = false;
      if (s->has_check_before_update)
        d->has_check_before_update = true, d->check_before_update = s->check_before_update;
    }
  if (u->cpu)
    {
      const spec_cpu *s = u->cpu;
      spec_cpu *d;
      if (dst->cpu == NULL)
        dst->cpu = xzalloc (sizeof *dst->cpu);
      d = dst->cpu;
#define TAKE(f)                                                                                                        \
  if (s->has_##f)                                                                                                      \
  d->has_##f = true, d->f = s->f
      TAKE (shares);
      TAKE (quota);
      TAKE (burst);
      TAKE (period);
      TAKE (realtime_runtime);
      TAKE (realtime_period);
      TAKE (idle);
#undef TAKE
      if (s->cpus)
        set_str (&d->cpus, s->cpus);
      if (s->mems)
        set_str (&d->mems, s->mems);
    }
  if (u->has_pids)
    dst->has_pids = true, dst->pids_limit = u->pids_limit;
  if (u->block_io)
    {
      const spec_blkio *s = u->block_io;
      spec_blkio *d;
      if (dst->block_io == NULL)
        dst->block_io = xzalloc (sizeof *dst->block_io);
      d = dst->block_io;
      if (s->has_weight)
        d->has_weight = true, d->weight = s->weight;
      if (s->has_leaf_weight)
        d->has_leaf_weight = true, d->leaf_weight = s->leaf_weight;
      for (size_t i = 0; i < s->n_weight_device; i++)
        upsert_weight (&d->weight_device, &d->n_weight_device, &s->weight_device[i]);
      for (size_t i = 0; i < s->n_throttle_read_bps; i++)
        upsert_throttle (&d->throttle_read_bps, &d->n_throttle_read_bps, &s->throttle_read_bps[i]);
      for (size_t i = 0; i < s->n_throttle_write_bps; i++)
        upsert_throttle (&d->throttle_write_bps, &d->n_throttle_write_bps, &s->throttle_write_bps[i]);
      for (size_t i = 0; i < s->n_throttle_read_iops; i++)
        upsert_throttle (&d->throttle_read_iops, &d->n_throttle_read_iops, &s->throttle_read_iops[i]);
      for (size_t i = 0; i < s->n_throttle_write_iops; i++)
        upsert_throttle (&d->throttle_write_iops, &d->n_throttle_write_iops, &s->throttle_write_iops[i]);
    }
  for (size_t i = 0; i < u->n_unified; i++)
    upsert_kv (&dst->unified, &dst->n_unified, &u->unified[i]);
}

/* ---- linux.resources as JSON -------------------------------------------- */

static void
throttles (json_writer *w, const char *key, const spec_throttle_device *v, size_t n)
{
  if (n == 0)
    return;
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    {
      json_w_object_begin (w);
      json_w_kv_int (w, "major", v[i].major);
      json_w_kv_int (w, "minor", v[i].minor);
      json_w_kv_uint (w, "rate", v[i].rate);
      json_w_object_end (w);
    }
  json_w_array_end (w);
}

void
cg_resources_write_json (json_writer *w, const spec_resources *r)
{
  json_w_object_begin (w);
  if (r->n_devices)
    {
      json_w_key (w, "devices");
      json_w_array_begin (w);
      for (size_t i = 0; i < r->n_devices; i++)
        {
          const spec_device_cgroup *d = &r->devices[i];
          json_w_object_begin (w);
          json_w_kv_bool (w, "allow", d->allow);
          if (d->type)
            json_w_kv_string (w, "type", d->type);
          if (d->has_major)
            json_w_kv_int (w, "major", d->major);
          if (d->has_minor)
            json_w_kv_int (w, "minor", d->minor);
          if (d->access)
            json_w_kv_string (w, "access", d->access);
          json_w_object_end (w);
        }
      json_w_array_end (w);
    }
  if (r->memory)
    {
      const spec_memory *m = r->memory;
      json_w_key (w, "memory");
      json_w_object_begin (w);
      if (m->has_limit)
        json_w_kv_int (w, "limit", m->limit);
      if (m->has_reservation)
        json_w_kv_int (w, "reservation", m->reservation);
      if (m->has_swap)
        json_w_kv_int (w, "swap", m->swap);
      if (m->has_kernel)
        json_w_kv_int (w, "kernel", m->kernel);
      if (m->has_kernel_tcp)
        json_w_kv_int (w, "kernelTCP", m->kernel_tcp);
      if (m->has_swappiness)
        json_w_kv_uint (w, "swappiness", m->swappiness);
      if (m->has_disable_oom_killer)
        json_w_kv_bool (w, "disableOOMKiller", m->disable_oom_killer);
      if (m->has_use_hierarchy)
        json_w_kv_bool (w, "useHierarchy", m->use_hierarchy);
      if (m->has_check_before_update)
        json_w_kv_bool (w, "checkBeforeUpdate", m->check_before_update);
      json_w_object_end (w);
    }
  if (r->cpu)
    {
      const spec_cpu *c = r->cpu;
      json_w_key (w, "cpu");
      json_w_object_begin (w);
      if (c->has_shares)
        json_w_kv_uint (w, "shares", c->shares);
      if (c->has_quota)
        json_w_kv_int (w, "quota", c->quota);
      if (c->has_burst)
        json_w_kv_uint (w, "burst", c->burst);
      if (c->has_period)
        json_w_kv_uint (w, "period", c->period);
      if (c->has_realtime_runtime)
        json_w_kv_int (w, "realtimeRuntime", c->realtime_runtime);
      if (c->has_realtime_period)
        json_w_kv_uint (w, "realtimePeriod", c->realtime_period);
      if (c->cpus)
        json_w_kv_string (w, "cpus", c->cpus);
      if (c->mems)
        json_w_kv_string (w, "mems", c->mems);
      if (c->has_idle)
        json_w_kv_int (w, "idle", c->idle);
      json_w_object_end (w);
    }
  if (r->has_pids)
    {
      json_w_key (w, "pids");
      json_w_object_begin (w);
      json_w_kv_int (w, "limit", r->pids_limit);
      json_w_object_end (w);
    }
  if (r->block_io)
    {
      const spec_blkio *b = r->block_io;
      json_w_key (w, "blockIO");
      json_w_object_begin (w);
      if (b->has_weight)
        json_w_kv_uint (w, "weight", b->weight);
      if (b->has_leaf_weight)
        json_w_kv_uint (w, "leafWeight", b->leaf_weight);
      if (b->n_weight_device)
        {
          json_w_key (w, "weightDevice");
          json_w_array_begin (w);
          for (size_t i = 0; i < b->n_weight_device; i++)
            {
              const spec_weight_device *d = &b->weight_device[i];
              json_w_object_begin (w);
              json_w_kv_int (w, "major", d->major);
              json_w_kv_int (w, "minor", d->minor);
              if (d->has_weight)
                json_w_kv_uint (w, "weight", d->weight);
              if (d->has_leaf_weight)
                json_w_kv_uint (w, "leafWeight", d->leaf_weight);
              json_w_object_end (w);
            }
          json_w_array_end (w);
        }
      throttles (w, "throttleReadBpsDevice", b->throttle_read_bps, b->n_throttle_read_bps);
      throttles (w, "throttleWriteBpsDevice", b->throttle_write_bps, b->n_throttle_write_bps);
      throttles (w, "throttleReadIOPSDevice", b->throttle_read_iops, b->n_throttle_read_iops);
      throttles (w, "throttleWriteIOPSDevice", b->throttle_write_iops, b->n_throttle_write_iops);
      json_w_object_end (w);
    }
  if (r->n_hugepage_limits)
    {
      json_w_key (w, "hugepageLimits");
      json_w_array_begin (w);
      for (size_t i = 0; i < r->n_hugepage_limits; i++)
        {
          json_w_object_begin (w);
          json_w_kv_string (w, "pageSize", r->hugepage_limits[i].page_size);
          json_w_kv_uint (w, "limit", r->hugepage_limits[i].limit);
          json_w_object_end (w);
        }
      json_w_array_end (w);
    }
  if (r->has_network || r->has_net_class_id || r->n_net_priorities)
    {
      json_w_key (w, "network");
      json_w_object_begin (w);
      if (r->has_net_class_id)
        json_w_kv_uint (w, "classID", r->net_class_id);
      if (r->n_net_priorities)
        {
          json_w_key (w, "priorities");
          json_w_array_begin (w);
          for (size_t i = 0; i < r->n_net_priorities; i++)
            {
              json_w_object_begin (w);
              json_w_kv_string (w, "name", r->net_priorities[i].name);
              json_w_kv_uint (w, "priority", r->net_priorities[i].priority);
              json_w_object_end (w);
            }
          json_w_array_end (w);
        }
      json_w_object_end (w);
    }
  if (r->n_rdma)
    {
      json_w_key (w, "rdma");
      json_w_object_begin (w);
      for (size_t i = 0; i < r->n_rdma; i++)
        {
          json_w_key (w, r->rdma[i].device);
          json_w_object_begin (w);
          if (r->rdma[i].has_hca_handles)
            json_w_kv_uint (w, "hcaHandles", r->rdma[i].hca_handles);
          if (r->rdma[i].has_hca_objects)
            json_w_kv_uint (w, "hcaObjects", r->rdma[i].hca_objects);
          json_w_object_end (w);
        }
      json_w_object_end (w);
    }
  if (r->n_unified)
    {
      json_w_key (w, "unified");
      json_w_object_begin (w);
      for (size_t i = 0; i < r->n_unified; i++)
        json_w_kv_string (w, r->unified[i].key, r->unified[i].value);
      json_w_object_end (w);
    }
  json_w_object_end (w);
}

char *
cg_config_replace_resources (const char *config, size_t len, const spec_resources *r, rt_error *err)
{
  json_node *root = json_parse (config, len, "config.json", err);
  const json_node *lin;
  json_writer *w;
  bool done = false;

  if (root == NULL)
    return NULL;
  lin = json_get (root, "linux");
  if (json_type (root) != JSON_OBJECT || lin == NULL || json_type (lin) != JSON_OBJECT)
    {
      json_free (root);
      rt_failx (err, EINVAL, "config.json: no linux object to update");
      return NULL;
    }
  /* Everything else is written back as it was, in its order.  */
  w = json_writer_new (0);
  json_w_object_begin (w);
  for (size_t i = 0; i < json_len (root); i++)
    {
      const json_node *v = json_value_at (root, i);
      json_w_key (w, json_key_at (root, i));
      if (v != lin)
        {
          json_w_node (w, v);
          continue;
        }
      json_w_object_begin (w);
      for (size_t k = 0; k < json_len (lin); k++)
        {
          json_w_key (w, json_key_at (lin, k));
          if (strcmp (json_key_at (lin, k), "resources") == 0 && !done)
            {
              cg_resources_write_json (w, r);
              done = true;
            }
          else
            json_w_node (w, json_value_at (lin, k));
        }
      if (!done)
        {
          json_w_key (w, "resources");
          cg_resources_write_json (w, r);
          done = true;
        }
      json_w_object_end (w);
    }
  json_w_object_end (w);
  json_free (root);
  return json_writer_finish (w, NULL);
}
