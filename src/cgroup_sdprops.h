/* systemd unit properties as plain data: what StartTransientUnit and
 * SetUnitProperties receive, built from linux.resources and the
 * org.systemd.property.* annotations without any D-Bus connection
 * (cgroup_sdprops.c), then appended to a message by cgroup_systemd.c.  */
#ifndef RT_CGROUP_SDPROPS_H
#define RT_CGROUP_SDPROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_priv.h"

/* A D-Bus value: a basic type, or an array / struct of values.  */
typedef struct sd_val
{
  char *sig; /* complete D-Bus signature: "t", "au", "a(ss)", "(st)" */
  union
  {
    bool b;
    int64_t i; /* y n i x (y stored unsigned) */
    uint64_t u; /* q u t */
    double d;
    char *s; /* s o g */
  } v;
  struct sd_val *items; /* array elements or struct members */
  size_t n;
} sd_val;

typedef struct sd_prop
{
  char *name;
  sd_val val;
} sd_prop;

typedef struct sd_props
{
  sd_prop *v;
  size_t n;
} sd_props;

void sd_val_free (sd_val *v);
void sd_val_copy (sd_val *dst, const sd_val *src);
void sd_props_append_copy (sd_props *dst, const sd_props *src);
void sd_props_free (sd_props *p);
void sd_props_add_bool (sd_props *p, const char *name, bool b);
void sd_props_add_u64 (sd_props *p, const char *name, uint64_t u);
void sd_props_add_str (sd_props *p, const char *name, const char *s);

/* Parse a value in GVariant text form, as runc accepts for
 * org.systemd.property.* annotations: true, 42, 'str', "str", [1, 2],
 * ('a', 1), typed with "uint64 42" or "@t 42", "@as []", ...  */
int sd_val_parse (const char *text, sd_val *out, rt_error *err);

/* The org.systemd.property.NAME annotations, checked and converted as
 * runc does (NAME of at least 3 letters; a "...Sec" property given in
 * seconds becomes "...USec" in microseconds).  */
int sd_props_from_annotations (const spec_kv *ann, size_t n, sd_props *out, rt_error *err);

/* The unit's properties at creation: description, slice, delegation,
 * the init PID and accounting.  */
void sd_props_base (sd_props *p, const cg_systemd_name *name, pid_t pid, bool v2);

/* linux.resources as systemd properties, as runc maps them (only those
 * systemd knows; the cgroupfs code writes the rest).  `version` is
 * systemd's, which gates the newer properties.  */
int sd_props_resources (sd_props *p, const spec_resources *r, bool v2, int version, rt_error *err);

#endif
