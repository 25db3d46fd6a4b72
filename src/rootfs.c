/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "rootfs.h"

const char *const rootfs_default_devices[] = { NULL };
int
rootfs_prepare (const rootfs_config *c, rt_error *err)
{
  (void) c;
  (void) err;
  return rt_failx (err, ENOSYS, "rootfs_prepare: not implemented yet");
}

int
rootfs_pivot (const rootfs_config *c, rt_error *err)
{
  (void) c;
  (void) err;
  return rt_failx (err, ENOSYS, "rootfs_pivot: not implemented yet");
}

int
rootfs_finalize (const rootfs_config *c, rt_error *err)
{
  (void) c;
  (void) err;
  return rt_failx (err, ENOSYS, "rootfs_finalize: not implemented yet");
}
