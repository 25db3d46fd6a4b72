/* The pure cgroup conversions: v1 -> v2 values, update's flag parsing,
 * CPU lists, systemd names, unified keys, device rules.  */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_priv.h"
#include "tap.h"
#include "util.h"

static void
test_weights (void)
{
  /* Fixed points of runc's quadratic mapping, and values in between.  */
  is_int (cg_shares_to_weight (0), 0, "shares 0 = unset");
  is_int (cg_shares_to_weight (1), 1, "shares 1 -> 1");
  is_int (cg_shares_to_weight (2), 1, "shares 2 -> 1");
  is_int (cg_shares_to_weight (3), 2, "shares 3 -> 2");
  is_int (cg_shares_to_weight (100), 17, "shares 100 -> 17");
  is_int (cg_shares_to_weight (512), 59, "shares 512 -> 59");
  is_int (cg_shares_to_weight (1024), 100, "default shares -> default weight");
  is_int (cg_shares_to_weight (2048), 174, "shares 2048 -> 174");
  is_int (cg_shares_to_weight (262143), 10000, "shares 262143 -> 10000");
  is_int (cg_shares_to_weight (262144), 10000, "max shares -> max weight");
  is_int (cg_shares_to_weight (1000000), 10000, "above max is clamped");

  is_int (cg_blkio_to_io_weight (0), 0, "blkio 0 = unset");
  is_int (cg_blkio_to_io_weight (10), 1, "blkio 10 -> 1");
  is_int (cg_blkio_to_io_weight (500), 4950, "blkio 500 -> 4950");
  is_int (cg_blkio_to_io_weight (1000), 10000, "blkio 1000 -> 10000");
}

static void
test_swap (void)
{
  rt_error err = { 0 };
  int64_t out;

  ok (cg_swap_to_v2 (0, 0, &out, &err) == 0 && out == 0, "swap unset, memory unset -> unset");
  ok (cg_swap_to_v2 (-1, 0, &out, &err) == 0 && out == -1, "swap -1 -> max");
  ok (cg_swap_to_v2 (0, -1, &out, &err) == 0 && out == -1, "memory unlimited, swap unset -> swap max");
  ok (cg_swap_to_v2 (500, -1, &out, &err) == 0 && out == 500, "memory unlimited: swap as is");
  ok (cg_swap_to_v2 (300, 100, &out, &err) == 0 && out == 200, "memsw 300 - memory 100 = swap 200");
  ok (cg_swap_to_v2 (100, 100, &out, &err) == 0 && out == 0, "memsw == memory -> no swap");
  ok (cg_swap_to_v2 (100, 0, &out, &err) < 0, "swap without memory fails");
  like (err.msg, "unable to set swap limit without memory limit", "... with runc's message");
  ok (cg_swap_to_v2 (50, 100, &out, &err) < 0, "memsw below memory fails");
  like (err.msg, "memory+swap limit should be >= memory limit", "... with runc's message");
  ok (cg_swap_to_v2 (100, -5, &out, &err) < 0, "negative memory fails");
}

static void
test_strings (void)
{
  char buf[64];

  is_str (cg_num_to_str (0, buf, sizeof buf), "", "0 means leave alone");
  is_str (cg_num_to_str (-1, buf, sizeof buf), "max", "-1 -> max");
  is_str (cg_num_to_str (4096, buf, sizeof buf), "4096", "number");
  cg_cpu_max (50000, 100000, buf, sizeof buf);
  is_str (buf, "50000 100000", "cpu.max quota period");
  cg_cpu_max (-1, 100000, buf, sizeof buf);
  is_str (buf, "max 100000", "cpu.max unlimited with period");
  cg_cpu_max (20000, 0, buf, sizeof buf);
  is_str (buf, "20000", "cpu.max quota only");
  cg_cpu_max (0, 0, buf, sizeof buf);
  is_str (buf, "max", "cpu.max nothing");
  is_int (cg_quota_per_sec_usec (50000, 100000), 500000, "50%% is 500000 us/s");
  is_int (cg_quota_per_sec_usec (12345, 100000), 130000, "fraction of a percent rounds up");
  is_int (cg_quota_per_sec_usec (10000, 0), 100000, "default period");
  ok (cg_quota_per_sec_usec (-1, 100000) == UINT64_MAX, "no quota -> infinity");
  {
    char *s = cg_hugepage_size_name (2048);
    is_str (s, "2MB", "2048kB -> 2MB");
    free (s);
    s = cg_hugepage_size_name (1048576);
    is_str (s, "1GB", "1048576kB -> 1GB");
    free (s);
    s = cg_hugepage_size_name (64);
    is_str (s, "64KB", "64kB -> 64KB");
    free (s);
  }
}

static void
test_ram_bytes (void)
{
  static const struct
  {
    const char *in;
    int64_t want;
  } good[] = {
    { "0", 0 },          { "1024", 1024 },           { "10b", 10 },         { "10B", 10 },
    { "1k", 1024 },      { "1K", 1024 },             { "1kb", 1024 },       { "1KiB", 1024 },
    { "512m", 536870912 }, { "512M", 536870912 },    { "1g", 1073741824 },  { "1 GiB", 1073741824 },
    { "1.5g", 1610612736 }, { "2t", 2199023255552 }, { "1p", 1125899906842624 }, { "3.5", 3 },
    { "1e3", 1000 },     { "7 ", 7 },
  };
  static const struct
  {
    const char *in, *msg;
  } bad[] = {
    { "", "invalid size: ''" },
    { "m", "invalid size: 'm'" },
    { "abc", "invalid size: 'abc'" },
    { "-5", "invalid size: '-5'" },
    { "10x", "invalid suffix: 'x'" },
    { "10mbb", "invalid suffix: 'mbb'" },
    { "10mx", "invalid suffix: 'mx'" },
    { "10kib2", "strconv.ParseFloat" },
    { "1.2.3", "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax" },
    { "10bb", "invalid suffix: 'bb'" },
  };
  rt_error err = { 0 };

  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    {
      int64_t v = -42;
      int r = cg_parse_ram_bytes (good[i].in, &v, &err);
      ok (r == 0 && v == good[i].want, "RAMInBytes(\"%s\") = %lld (got %lld, %s)", good[i].in,
          (long long) good[i].want, (long long) v, r ? err.msg : "ok");
    }
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      int64_t v;
      ok (cg_parse_ram_bytes (bad[i].in, &v, &err) < 0, "RAMInBytes(\"%s\") fails", bad[i].in);
      like (err.msg, bad[i].msg, "... saying %s", bad[i].msg);
    }
}

static void
test_flags (void)
{
  rt_error err = { 0 };
  uint64_t u;
  int64_t i;

  ok (cg_parse_flag_u64 ("cpu-period", "100000", &u, &err) == 0 && u == 100000, "u64 flag");
  ok (cg_parse_flag_u64 ("cpu-period", "-1", &u, &err) < 0, "u64 flag refuses negatives");
  is_str (err.msg, "invalid value for cpu-period: strconv.ParseUint: parsing \"-1\": invalid syntax",
          "Go's message for a bad unsigned");
  ok (cg_parse_flag_u64 ("cpu-share", "99999999999999999999", &u, &err) < 0, "u64 overflow");
  like (err.msg, "value out of range", "... out of range");
  ok (cg_parse_flag_i64 ("cpu-quota", "-1", &i, &err) == 0 && i == -1, "i64 flag takes -1");
  ok (cg_parse_flag_i64 ("cpu-quota", "1x", &i, &err) < 0, "i64 garbage");
  is_str (err.msg, "invalid value for cpu-quota: strconv.ParseInt: parsing \"1x\": invalid syntax", "Go's message");
  ok (cg_parse_flag_size ("memory", "-1", &i, &err) == 0 && i == -1, "size -1 = unlimited");
  ok (cg_parse_flag_size ("memory", "256m", &i, &err) == 0 && i == 268435456, "size with unit");
  ok (cg_parse_flag_size ("memory-swap", "lots", &i, &err) < 0, "bad size");
  is_str (err.msg, "invalid value for memory-swap: invalid size: 'lots'", "size error names the flag");
}

static void
test_cpuset_bits (void)
{
  rt_error err = { 0 };
  uint8_t *b = NULL;
  size_t n = 0;

  ok (cg_cpuset_to_bits ("0", &b, &n, &err) == 0 && n == 1 && b[0] == 0x01, "0 -> 01");
  free (b);
  ok (cg_cpuset_to_bits ("0-3,7", &b, &n, &err) == 0 && n == 1 && b[0] == 0x8f, "0-3,7 -> 8f");
  free (b);
  ok (cg_cpuset_to_bits ("8", &b, &n, &err) == 0 && n == 2 && b[0] == 0 && b[1] == 0x01, "8 -> 00 01 (LE)");
  free (b);
  ok (cg_cpuset_to_bits (" 1 , 9-10\n", &b, &n, &err) == 0 && n == 2 && b[0] == 0x02 && b[1] == 0x06,
      "spaces and newline tolerated");
  free (b);
  ok (cg_cpuset_to_bits ("3-1", &b, &n, &err) < 0, "reversed range refused");
  ok (cg_cpuset_to_bits ("a", &b, &n, &err) < 0, "garbage refused");
  ok (cg_cpuset_to_bits ("", &b, &n, &err) < 0, "empty refused");
}

static void
test_systemd_names (void)
{
  rt_error err = { 0 };
  cg_systemd_name n;
  char *s = NULL;

  ok (cg_expand_slice ("system.slice", &s, &err) == 0, "expand system.slice");
  is_str (s, "/system.slice", "... /system.slice");
  free (s);
  ok (cg_expand_slice ("a-b-c.slice", &s, &err) == 0, "expand a-b-c.slice");
  is_str (s, "/a.slice/a-b.slice/a-b-c.slice", "... nested");
  free (s);
  ok (cg_expand_slice ("-.slice", &s, &err) == 0, "root slice");
  is_str (s, "/", "... is /");
  free (s);
  ok (cg_expand_slice ("a--b.slice", &s, &err) < 0, "double dash refused");
  is_str (err.msg, "invalid slice name: a--b.slice", "runc's message");
  ok (cg_expand_slice ("-a.slice", &s, &err) < 0, "leading dash refused");
  ok (cg_expand_slice ("a/b.slice", &s, &err) < 0, "slash refused");
  ok (cg_expand_slice ("foo", &s, &err) < 0, "no .slice refused");
  ok (cg_expand_slice (".slice", &s, &err) < 0, "bare .slice refused");

  ok (cg_systemd_name_parse (NULL, "ctr1", false, &n, &err) == 0, "defaults, root");
  is_str (n.slice, "system.slice", "root default slice");
  is_str (n.unit, "runc-ctr1.scope", "default unit runc-ID.scope");
  is_str (n.slice_path, "/system.slice", "slice path");
  cg_systemd_name_free (&n);
  ok (cg_systemd_name_parse ("", "ctr1", true, &n, &err) == 0, "defaults, rootless");
  is_str (n.slice, "user.slice", "rootless default slice");
  cg_systemd_name_free (&n);
  ok (cg_systemd_name_parse ("machine-x.slice:docker:abc", "ctr1", false, &n, &err) == 0, "slice:prefix:name");
  is_str (n.unit, "docker-abc.scope", "unit from prefix and name");
  is_str (n.slice_path, "/machine.slice/machine-x.slice", "slice path expanded");
  cg_systemd_name_free (&n);
  ok (cg_systemd_name_parse (":p:n", "ctr1", false, &n, &err) == 0, "empty slice -> default");
  is_str (n.slice, "system.slice", "... system.slice");
  cg_systemd_name_free (&n);
  ok (cg_systemd_name_parse ("system.slice:p:pod.slice", "x", false, &n, &err) == 0, "a slice as the name");
  is_str (n.unit, "pod.slice", "... is used as the unit");
  cg_systemd_name_free (&n);
  ok (cg_systemd_name_parse ("/foo/bar", "x", false, &n, &err) < 0, "a cgroupfs path is refused");
  like (err.msg, "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups", "runc's words");
  ok (cg_systemd_name_parse ("a:b:c:d", "x", false, &n, &err) < 0, "four parts refused");
  ok (cg_systemd_name_parse ("bad--x.slice:p:n", "x", false, &n, &err) < 0, "bad slice refused");
}

static void
test_unified_keys (void)
{
  rt_error err = { 0 };

  ok (cg_unified_key_check ("memory.high", &err) == 0, "memory.high ok");
  ok (cg_unified_key_check ("io.max", &err) == 0, "io.max ok");
  ok (cg_unified_key_check ("cgroup.max.depth", &err) == 0, "cgroup.max.depth allowed");
  ok (cg_unified_key_check ("../memory.max", &err) < 0, "path separator refused");
  like (err.msg, "must be a file name (no slashes)", "runc's message");
  ok (cg_unified_key_check ("memory", &err) < 0, "no dot refused");
  like (err.msg, "must be in the form CONTROLLER.PARAMETER", "runc's message");
  ok (cg_unified_key_check (".max", &err) < 0, "empty controller refused");
  ok (cg_unified_key_check ("cgroup.procs", &err) < 0, "cgroup.procs refused");
  ok (cg_unified_key_check ("cgroup.subtree_control", &err) < 0, "cgroup.subtree_control refused");
  ok (cg_unified_key_check ("cgroup.freeze", &err) < 0, "cgroup.freeze refused");
  ok (cg_unified_key_check ("cgroup.kill", &err) < 0, "cgroup.kill refused");
}

static void
test_device_rules (void)
{
  rt_error err = { 0 };
  spec_device_cgroup d[2] = { { .allow = false, .type = NULL, .access = (char *) "rwm" },
                              { .allow = true, .type = (char *) "c", .has_major = true, .major = 4, .has_minor = false,
                                .access = (char *) "rw" } };
  spec_resources r = { .devices = d, .n_devices = 2 };
  cg_dev_rule *v = NULL;
  size_t n = 0;
  char line[64];
  unsigned a;

  ok (cg_dev_rules_build (&r, &v, &n, &err) == 0, "rules built");
  is_int (n, 2 + 11, "config rules then runc's 11 default devices");
  ok (v[0].type == 'a' && v[0].major == -1 && !v[0].allow && v[0].access == CG_DEV_ALL, "deny all");
  ok (v[1].type == 'c' && v[1].major == 4 && v[1].minor == -1 && v[1].access == (CG_DEV_READ | CG_DEV_WRITE),
      "c 4:* rw");
  cg_dev_rule_v1_string (&v[1], line, sizeof line);
  is_str (line, "c 4:* rw", "v1 string of a wildcard minor");
  cg_dev_rule_v1_string (&v[0], line, sizeof line);
  is_str (line, "a *:* rwm", "v1 string of deny-all");
  cg_dev_rule_v1_string (&v[4], line, sizeof line);
  is_str (line, "c 1:3 rwm", "the defaults start with mknod rules, then /dev/null");
  cg_dev_rule_v1_string (&v[12], line, sizeof line);
  is_str (line, "c 10:200 rwm", "/dev/net/tun is last, as in runc");
  free (v);

  d[1].access = (char *) "rx";
  ok (cg_dev_rules_build (&r, &v, &n, &err) < 0, "bad access letter refused");
  like (err.msg, "devices[1].access", "... naming the rule");
  d[1].access = (char *) "rw";
  d[1].type = (char *) "p";
  ok (cg_dev_rules_build (&r, &v, &n, &err) < 0, "bad type refused");
  like (err.msg, "invalid cgroup device type \"p\"", "... naming the type");
  ok (cg_dev_access_parse (NULL, &a) == 0 && a == CG_DEV_ALL, "no access = rwm");
}

int
main (void)
{
  test_weights ();
  test_swap ();
  test_strings ();
  test_ram_bytes ();
  test_flags ();
  test_cpuset_bits ();
  test_systemd_names ();
  test_unified_keys ();
  test_device_rules ();
  return tap_done ();
}
