/* Host-to-container port forwards, shared by --publish and the API.
 *
 * libslirp's hostxfwd listens on a host socket and, per accepted
 * connection (or UDP peer), opens the flow towards the container with the
 * client's own address and port as the source.  Only loopback clients are
 * rewritten, to the gateway 10.0.2.2, since the container could not send
 * replies to 127.0.0.1.  So unlike a userspace proxy (podman's
 * rootlessport), the container sees who connected.  */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "slirp_helper.h"
#include "util.h"

void
fwd_table_init (struct sh_fwd_table *t, Slirp *slirp)
{
  memset (t, 0, sizeof *t);
  t->slirp = slirp;
  t->next_id = 1;
}

void
fwd_table_free (struct sh_fwd_table *t)
{
  free (t->v);
  t->v = NULL;
  t->n = t->cap = 0;
}

uint16_t
fwd_port (const struct sockaddr_storage *ss)
{
  if (ss->ss_family == AF_INET6)
    return ntohs (((const struct sockaddr_in6 *) ss)->sin6_port);
  return ntohs (((const struct sockaddr_in *) ss)->sin_port);
}

void
fwd_addr_text (const struct sockaddr_storage *ss, char *buf, size_t len)
{
  const void *a = ss->ss_family == AF_INET6 ? (const void *) &((const struct sockaddr_in6 *) ss)->sin6_addr
                                            : (const void *) &((const struct sockaddr_in *) ss)->sin_addr;
  if (inet_ntop (ss->ss_family, a, buf, len) == NULL)
    snprintf (buf, len, "?");
}

static int
slirp_flags (const struct sh_fwd *f)
{
  int flags = f->proto == IPPROTO_UDP ? SLIRP_HOSTFWD_UDP : 0;
  /* An IPv6 listener takes only IPv6, so that 0.0.0.0:P and [::]:P can
     be published side by side as two forwards.  */
  if (f->host.ss_family == AF_INET6)
    flags |= SLIRP_HOSTFWD_V6ONLY;
  return flags;
}

static int
describe_fail (const struct sh_fwd *f, int code, const char *what, rt_error *err)
{
  char h[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];

  fwd_addr_text (&f->host, h, sizeof h);
  fwd_addr_text (&f->guest, g, sizeof g);
  return rt_fail (err, code, "%s %s forward %s%s%s:%u to %s:%u", what, f->proto == IPPROTO_UDP ? "udp" : "tcp",
                  f->host.ss_family == AF_INET6 ? "[" : "", h, f->host.ss_family == AF_INET6 ? "]" : "",
                  fwd_port (&f->host), g, fwd_port (&f->guest));
}

int
fwd_add (struct sh_fwd_table *t, const struct sh_fwd *req, rt_error *err)
{
  struct sh_fwd *f;

  errno = 0;
  if (slirp_add_hostxfwd (t->slirp, (const struct sockaddr *) &req->host, req->host_len,
                          (const struct sockaddr *) &req->guest, req->guest_len, slirp_flags (req))
      < 0)
    return describe_fail (req, errno ? errno : EINVAL, "add", err);

  if (t->n == t->cap)
    {
      t->cap = t->cap ? t->cap * 2 : 8;
      t->v = xrealloc (t->v, t->cap * sizeof *t->v);
    }
  f = &t->v[t->n++];
  *f = *req;
  f->id = t->next_id++;
  return (int) f->id;
}

int
fwd_remove (struct sh_fwd_table *t, unsigned id, rt_error *err)
{
  for (size_t i = 0; i < t->n; i++)
    {
      struct sh_fwd *f = &t->v[i];
      if (f->id != id)
        continue;
      errno = 0;
      if (slirp_remove_hostxfwd (t->slirp, (const struct sockaddr *) &f->host, f->host_len, slirp_flags (f)) < 0)
        return describe_fail (f, errno ? errno : ENOENT, "remove", err);
      memmove (f, f + 1, (t->n - i - 1) * sizeof *f);
      t->n--;
      return 0;
    }
  return rt_failx (err, ENOENT, "no forward with id %u", id);
}

int
fwd_add_publish (struct sh_fwd_table *t, const struct sh_publish *p, rt_error *err)
{
  struct sh_fwd f = { .proto = p->proto, .host = p->host, .host_len = p->host_len };

  /* libslirp only forwards within one address family: an IPv6 listener
     goes to the container's IPv6 address.  */
  if (p->host.ss_family == AF_INET6)
    {
      struct sockaddr_in6 *g6 = (struct sockaddr_in6 *) &f.guest;
      g6->sin6_family = AF_INET6;
      g6->sin6_port = htons (p->guest_port);
      inet_pton (AF_INET6, SH_GUEST6, &g6->sin6_addr);
      f.guest_len = sizeof *g6;
    }
  else
    {
      struct sockaddr_in *g = (struct sockaddr_in *) &f.guest;
      g->sin_family = AF_INET;
      g->sin_port = htons (p->guest_port);
      inet_pton (AF_INET, SH_GUEST4, &g->sin_addr);
      f.guest_len = sizeof *g;
    }
  return fwd_add (t, &f, err);
}
