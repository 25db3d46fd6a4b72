#include "config.h"

#include "netdev.h"
#include "tap.h"
#include "util.h"

static void
test_names (void)
{
  static const char *const good[] = { "eth0", "dummy0", "a", "ctr_dummy0", "x-y.z", "123456789012345" };
  static const char *const bad[] = { "", ".", "..", "a/b", "a:1", "a b", "tab\there", "1234567890123456" };

  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    ok (netdev_name_valid (good[i]), "\"%s\" is a valid interface name", good[i]);
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    ok (!netdev_name_valid (bad[i]), "\"%s\" is not", bad[i]);
  ok (!netdev_name_valid (NULL), "NULL is not");
}

static void
test_validate (void)
{
  spec s;
  spec_linux l;
  spec_namespace ns[2];
  spec_net_device dev[2];
  rt_error err = { 0 };

  memset (&s, 0, sizeof s);
  memset (&l, 0, sizeof l);
  memset (ns, 0, sizeof ns);
  memset (dev, 0, sizeof dev);
  s.linux_ = &l;
  ns[0].type = SPEC_NS_MOUNT;
  l.namespaces = ns;
  l.n_namespaces = 1;

  is_int (netdev_validate (&s, false, &err), 0, "no devices: nothing to check, even rootless");

  dev[0].host_name = "dummy0";
  l.net_devices = dev;
  l.n_net_devices = 1;
  ok (netdev_validate (&s, true, &err) < 0, "devices without a network namespace are refused");
  is_str (err.msg, "linux.netDevices: unable to move network devices without a NET namespace", "runc's wording");

  ns[1].type = SPEC_NS_NETWORK;
  l.n_namespaces = 2;
  is_int (netdev_validate (&s, true, &err), 0, "with a network namespace, as root: accepted");
  ok (netdev_validate (&s, false, &err) < 0, "rootless is refused");
  like (err.msg, "linux.netDevices: network devices are not supported for rootless containers",
        "the rootless message");

  dev[0].name = "ctr:0";
  ok (netdev_validate (&s, true, &err) < 0, "a bad new name is refused");
  is_str (err.msg, "linux.netDevices[\"dummy0\"].name: invalid network device name \"ctr:0\"",
          "the error names the entry and the field");
  dev[0].name = "";
  is_int (netdev_validate (&s, true, &err), 0, "an empty name keeps the host's");

  dev[1].host_name = "../x";
  l.n_net_devices = 2;
  ok (netdev_validate (&s, true, &err) < 0, "a bad host name is refused");
  is_str (err.msg, "linux.netDevices[\"../x\"]: invalid network device name", "message for the key");
}

int
main (void)
{
  test_names ();
  test_validate ();
  return tap_done ();
}
