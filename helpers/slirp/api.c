/* The API socket, compatible with slirp4netns's so that rootlesskit,
 * podman and scripts written for it work unchanged: AF_UNIX stream, one
 * JSON request per connection, one JSON reply, then close.
 *
 *   {"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"0.0.0.0",
 *    "host_port":8080,"guest_addr":"10.0.2.100","guest_port":80}} -> {"return":{"id":1}}
 *   {"execute":"list_hostfwd"}                 -> {"return":{"entries":[...]}}
 *   {"execute":"remove_hostfwd","arguments":{"id":1}} -> {"return":{}}
 *   failures                                   -> {"error":{"desc":"..."}}
 *
 * Connections are served from the event loop without blocking it: a slow
 * or silent client only holds its own slot until its deadline.  A request
 * is complete at EOF (slirp4netns clients shut down their write side) or
 * as soon as the bytes received parse as a JSON document.  */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "json.h"
#include "slirp_helper.h"
#include "util.h"

/* ---- requests ------------------------------------------------------------ */

static char *
reply_error (const char *desc)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_key (w, "error");
  json_w_object_begin (w);
  json_w_kv_string (w, "desc", desc);
  json_w_object_end (w);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

static json_writer *
reply_begin (void)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_key (w, "return");
  json_w_object_begin (w);
  return w;
}

static char *
reply_end (json_writer *w)
{
  json_w_object_end (w);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

static int
arg_port (const json_node *args, const char *key, bool required, uint16_t *out, rt_error *err)
{
  const json_node *n = json_get (args, key);
  uint64_t v;

  if (n == NULL)
    {
      if (required)
        return rt_failx (err, EINVAL, "arguments.%s is required", key);
      return 0;
    }
  if (json_get_u64 (n, &v) < 0 || v == 0 || v > 65535)
    return rt_failx (err, EINVAL, "arguments.%s must be an integer in 1-65535", key);
  *out = (uint16_t) v;
  return 0;
}

static const char *
arg_string (const json_node *args, const char *key, const char *def, rt_error *err)
{
  const json_node *n = json_get (args, key);

  if (n == NULL)
    return def;
  if (json_type (n) != JSON_STRING)
    {
      rt_failx (err, EINVAL, "arguments.%s must be a string, not %s", key, json_type_name (json_type (n)));
      return NULL;
    }
  return json_string (n);
}

static int
parse_sockaddr (const char *key, const char *text, uint16_t port, struct sockaddr_storage *ss, socklen_t *len,
                rt_error *err)
{
  struct sockaddr_in *sin = (struct sockaddr_in *) ss;
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

  memset (ss, 0, sizeof *ss);
  if (inet_pton (AF_INET, text, &sin->sin_addr) == 1)
    {
      sin->sin_family = AF_INET;
      sin->sin_port = htons (port);
      *len = sizeof *sin;
      return 0;
    }
  if (inet_pton (AF_INET6, text, &sin6->sin6_addr) == 1)
    {
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons (port);
      *len = sizeof *sin6;
      return 0;
    }
  return rt_failx (err, EINVAL, "arguments.%s: `%s` is not an IP address", key, text);
}

/* The guest side must be an address of the virtual network: libslirp
 * would otherwise accept the forward and silently never deliver.  */
static int
check_guest (const struct sockaddr_storage *ss, rt_error *err)
{
  struct in_addr net, a;
  struct in6_addr net6;

  if (ss->ss_family == AF_INET)
    {
      inet_pton (AF_INET, SH_NET4, &net);
      a = ((const struct sockaddr_in *) ss)->sin_addr;
      if ((a.s_addr & htonl (0xffffff00u)) == net.s_addr)
        return 0;
      return rt_failx (err, EINVAL, "arguments.guest_addr must be in %s/%d", SH_NET4, SH_NET4_PREFIX);
    }
  inet_pton (AF_INET6, SH_NET6, &net6);
  if (memcmp (&((const struct sockaddr_in6 *) ss)->sin6_addr, &net6, 8) == 0)
    return 0;
  return rt_failx (err, EINVAL, "arguments.guest_addr must be in %s/%d", SH_NET6, SH_NET6_PREFIX);
}

static char *
do_add (struct sh_fwd_table *fwd, const json_node *args, rt_error *err)
{
  struct sh_fwd f = { 0 };
  const char *proto, *haddr, *gaddr;
  uint16_t hport = 0, gport = 0;
  json_writer *w;
  int id;

  if (args == NULL || json_type (args) != JSON_OBJECT)
    {
      rt_failx (err, EINVAL, "arguments must be an object");
      return NULL;
    }
  proto = arg_string (args, "proto", NULL, err);
  haddr = arg_string (args, "host_addr", "0.0.0.0", err);
  gaddr = arg_string (args, "guest_addr", haddr && strchr (haddr, ':') ? SH_GUEST6 : SH_GUEST4, err);
  if (err->code)
    return NULL;
  if (proto == NULL || (strcmp (proto, "tcp") != 0 && strcmp (proto, "udp") != 0))
    {
      rt_failx (err, EINVAL, "arguments.proto must be \"tcp\" or \"udp\"");
      return NULL;
    }
  f.proto = proto[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
  if (arg_port (args, "host_port", true, &hport, err) < 0 || arg_port (args, "guest_port", true, &gport, err) < 0
      || parse_sockaddr ("host_addr", haddr, hport, &f.host, &f.host_len, err) < 0
      || parse_sockaddr ("guest_addr", gaddr, gport, &f.guest, &f.guest_len, err) < 0
      || check_guest (&f.guest, err) < 0)
    return NULL;
  /* libslirp would accept the pair and then never connect the flows.  */
  if (f.host.ss_family != f.guest.ss_family)
    {
      rt_failx (err, EINVAL, "host_addr and guest_addr must be of the same address family");
      return NULL;
    }

  id = fwd_add (fwd, &f, err);
  if (id < 0)
    return NULL;
  w = reply_begin ();
  json_w_kv_int (w, "id", id);
  return reply_end (w);
}

static char *
do_list (struct sh_fwd_table *fwd)
{
  json_writer *w = reply_begin ();
  char text[INET6_ADDRSTRLEN];

  json_w_key (w, "entries");
  json_w_array_begin (w);
  for (size_t i = 0; i < fwd->n; i++)
    {
      const struct sh_fwd *f = &fwd->v[i];

      json_w_object_begin (w);
      json_w_kv_uint (w, "id", f->id);
      json_w_kv_string (w, "proto", f->proto == IPPROTO_UDP ? "udp" : "tcp");
      fwd_addr_text (&f->host, text, sizeof text);
      json_w_kv_string (w, "host_addr", text);
      json_w_kv_uint (w, "host_port", fwd_port (&f->host));
      fwd_addr_text (&f->guest, text, sizeof text);
      json_w_kv_string (w, "guest_addr", text);
      json_w_kv_uint (w, "guest_port", fwd_port (&f->guest));
      json_w_object_end (w);
    }
  json_w_array_end (w);
  return reply_end (w);
}

static char *
do_remove (struct sh_fwd_table *fwd, const json_node *args, rt_error *err)
{
  const json_node *n = args && json_type (args) == JSON_OBJECT ? json_get (args, "id") : NULL;
  uint64_t id;

  if (n == NULL || json_get_u64 (n, &id) < 0 || id == 0 || id > UINT32_MAX)
    {
      rt_failx (err, EINVAL, "arguments.id must be a forward id");
      return NULL;
    }
  if (fwd_remove (fwd, (unsigned) id, err) < 0)
    return NULL;
  return reply_end (reply_begin ());
}

char *
api_dispatch (struct sh_fwd_table *fwd, const char *req, size_t len)
{
  rt_error err = { 0 };
  json_node *root;
  const json_node *exec;
  const char *verb;
  char *reply = NULL;

  root = json_parse (req, len, "request", &err);
  if (root == NULL)
    return reply_error (err.msg);
  exec = json_type (root) == JSON_OBJECT ? json_get (root, "execute") : NULL;
  if (exec == NULL || json_type (exec) != JSON_STRING)
    {
      json_free (root);
      return reply_error ("request must be an object with a string \"execute\"");
    }
  verb = json_string (exec);
  if (strcmp (verb, "add_hostfwd") == 0)
    reply = do_add (fwd, json_get (root, "arguments"), &err);
  else if (strcmp (verb, "list_hostfwd") == 0)
    reply = do_list (fwd);
  else if (strcmp (verb, "remove_hostfwd") == 0)
    reply = do_remove (fwd, json_get (root, "arguments"), &err);
  else
    rt_failx (&err, EINVAL, "unknown execute `%s` (known: add_hostfwd, list_hostfwd, remove_hostfwd)", verb);
  if (reply == NULL)
    {
      char desc[RT_ERROR_MSG_MAX + 32];
      snprintf (desc, sizeof desc, "%s: %s", verb, err.msg);
      reply = reply_error (desc);
    }
  json_free (root);
  return reply;
}

/* ---- the socket ---------------------------------------------------------- */

/* A socket file left by a helper that died is replaced; one that somebody
 * still answers on is not.  */
static int
clear_stale (const char *path, const struct sockaddr_un *sa, rt_error *err)
{
  _cleanup_close_ int probe = -1;
  struct stat st;

  if (lstat (path, &st) < 0)
    return errno == ENOENT ? 0 : rt_fail (err, errno, "stat `%s`", path);
  if (!S_ISSOCK (st.st_mode))
    return rt_failx (err, EEXIST, "`%s` exists and is not a socket", path);
  probe = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0)
    return rt_fail (err, errno, "socket");
  if (connect (probe, (const struct sockaddr *) sa, sizeof *sa) == 0)
    return rt_failx (err, EADDRINUSE, "`%s` is in use by another process", path);
  if (errno != ECONNREFUSED)
    return rt_fail (err, errno, "probe existing socket `%s`", path);
  if (unlink (path) < 0)
    return rt_fail (err, errno, "remove stale socket `%s`", path);
  return 0;
}

int
api_listen (const char *path, rt_error *err)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  _cleanup_close_ int fd = -1;
  mode_t old;
  int ret;

  if (strlen (path) >= sizeof sa.sun_path)
    return rt_failx (err, ENAMETOOLONG, "API socket path `%s` is longer than %zu bytes", path,
                     sizeof sa.sun_path - 1);
  memcpy (sa.sun_path, path, strlen (path) + 1);
  ret = clear_stale (path, &sa, err);
  if (ret < 0)
    return rt_wrap (err, "API socket");
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return rt_fail (err, errno, "API socket");
  /* Whoever can connect can open ports on the host in our name: the
     socket is for its owner only.  */
  old = umask (0177);
  ret = bind (fd, (struct sockaddr *) &sa, sizeof sa);
  umask (old);
  if (ret < 0)
    return rt_fail (err, errno, "bind API socket `%s`", path);
  if (listen (fd, SH_API_MAX_CONNS) < 0)
    return rt_fail (err, errno, "listen on API socket `%s`", path);
  return TAKE_FD (fd);
}

void
api_init (struct sh_api *api, int listen_fd, struct sh_fwd_table *fwd)
{
  api->listen_fd = listen_fd;
  api->fwd = fwd;
  for (size_t i = 0; i < SH_API_MAX_CONNS; i++)
    api->conns[i].fd = -1;
}

static void
conn_close (struct sh_api_conn *c)
{
  cleanup_closep (&c->fd);
  c->fd = -1;
  c->len = 0;
}

void
api_close (struct sh_api *api)
{
  for (size_t i = 0; i < SH_API_MAX_CONNS; i++)
    conn_close (&api->conns[i]);
  cleanup_closep (&api->listen_fd);
  api->listen_fd = -1;
}

static void
conn_reply (struct sh_api *api, struct sh_api_conn *c, const char *reply)
{
  _cleanup_free_ char *own = NULL;

  if (reply == NULL)
    reply = own = api_dispatch (api->fwd, c->buf, c->len);
  /* Replies are a few hundred bytes and the socket buffer is empty: one
     non-blocking send either goes through or the client is gone.  */
  (void) !send (c->fd, reply, strlen (reply), MSG_DONTWAIT | MSG_NOSIGNAL);
  conn_close (c);
}

static bool
looks_complete (const struct sh_api_conn *c)
{
  size_t i = c->len;
  json_node *n;
  rt_error err = { 0 };

  while (i > 0 && strchr (" \t\r\n", c->buf[i - 1]))
    i--;
  if (i == 0 || c->buf[i - 1] != '}')
    return false;
  n = json_parse (c->buf, c->len, "request", &err);
  json_free (n);
  return n != NULL;
}

static void
conn_read (struct sh_api *api, struct sh_api_conn *c)
{
  ssize_t n = read (c->fd, c->buf + c->len, SH_API_MAX_REQUEST - c->len);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n < 0)
    {
      conn_close (c);
      return;
    }
  c->len += n;
  c->buf[c->len] = '\0';
  if (n == 0 || looks_complete (c))
    conn_reply (api, c, c->len ? NULL : "{\"error\":{\"desc\":\"empty request\"}}");
  else if (c->len == SH_API_MAX_REQUEST)
    conn_reply (api, c, "{\"error\":{\"desc\":\"request larger than 4096 bytes\"}}");
}

size_t
api_poll_fill (struct sh_api *api, struct pollfd *pfd, int64_t now_ms, int64_t *deadline_ms)
{
  bool room = false;
  size_t n = 0;

  for (size_t i = 0; i < SH_API_MAX_CONNS; i++)
    {
      struct sh_api_conn *c = &api->conns[i];
      if (c->fd < 0)
        {
          room = true;
          continue;
        }
      if (c->deadline_ms <= now_ms)
        {
          conn_close (c);
          room = true;
          continue;
        }
      pfd[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
      if (c->deadline_ms < *deadline_ms)
        *deadline_ms = c->deadline_ms;
    }
  /* With every slot taken new clients wait in the listen backlog.  */
  if (room && api->listen_fd >= 0)
    pfd[n++] = (struct pollfd){ .fd = api->listen_fd, .events = POLLIN };
  return n;
}

static void
accept_one (struct sh_api *api, int64_t now_ms)
{
  for (size_t i = 0; i < SH_API_MAX_CONNS; i++)
    {
      struct sh_api_conn *c = &api->conns[i];
      if (c->fd >= 0)
        continue;
      c->fd = accept4 (api->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (c->fd < 0)
        return;
      c->len = 0;
      c->deadline_ms = now_ms + SH_API_TIMEOUT_MS;
      return;
    }
}

void
api_poll_handle (struct sh_api *api, const struct pollfd *pfd, size_t n, int64_t now_ms)
{
  for (size_t k = 0; k < n; k++)
    {
      if (pfd[k].revents == 0)
        continue;
      if (pfd[k].fd == api->listen_fd)
        {
          accept_one (api, now_ms);
          continue;
        }
      for (size_t i = 0; i < SH_API_MAX_CONNS; i++)
        if (api->conns[i].fd == pfd[k].fd)
          {
            conn_read (api, &api->conns[i]);
            break;
          }
    }
}
