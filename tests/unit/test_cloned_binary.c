#include "config.h"

#include <sys/stat.h>

#include "cloned_binary.h"
#include "tap.h"

int
main (void)
{
  binary_facts root_owned = { .uid = 0, .gid = 0, .mode = S_IFREG | 0755 };
  binary_facts user_owned = { .uid = 1000, .gid = 1000, .mode = S_IFREG | 0755 };
  binary_facts group_w = { .uid = 0, .gid = 1000, .mode = S_IFREG | 0775 };
  binary_facts world_w = { .uid = 0, .gid = 0, .mode = S_IFREG | 0757 };
  binary_facts ro = { .uid = 0, .gid = 0, .mode = S_IFREG | 0777, .read_only_mount = true };
  spec_idmap self_uid[] = { { 0, 1000, 1 } };
  spec_idmap self_gid[] = { { 0, 1000, 1 } };
  spec_idmap sub[] = { { 0, 100000, 65536 } };
  spec_idmap root_map[] = { { 0, 0, 65536 } };

  ok (binary_exposure (&root_owned, false, false, NULL, 0, NULL, 0), "no user namespace: root container can write");
  ok (!binary_exposure (&root_owned, true, false, self_uid, 1, self_gid, 1),
      "rootless mapping of uid 1000 cannot write a root-owned binary");
  ok (binary_exposure (&user_owned, true, false, self_uid, 1, self_gid, 1),
      "rootless mapping of the binary's owner can write it");
  ok (!binary_exposure (&user_owned, true, false, sub, 1, sub, 1), "subordinate range does not include the owner");
  ok (binary_exposure (&root_owned, true, false, root_map, 1, root_map, 1), "mapping host root exposes a root binary");
  ok (binary_exposure (&group_w, true, false, sub, 1, self_gid, 1), "group-writable binary with its group mapped");
  ok (!binary_exposure (&group_w, true, false, sub, 1, sub, 1), "group-writable binary with its group unmapped");
  ok (binary_exposure (&world_w, true, false, sub, 1, sub, 1), "world-writable binary is always exposed");
  ok (binary_exposure (&root_owned, true, true, NULL, 0, NULL, 0), "joined user namespace: assume exposed");
  ok (!binary_exposure (&ro, false, false, NULL, 0, NULL, 0), "binary on a read-only mount is not exposed");
  return tap_done ();
}
