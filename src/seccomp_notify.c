/* Sending the seccomp notification fd to the agent (see seccomp_notify.h).  */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fdpass.h"
#include "json.h"
#include "seccomp_notify.h"
#include "util.h"

static void
write_state (json_writer *w, const seccomp_proc_state *s)
{
  json_w_key (w, "state");
  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", OCI_SPEC_VERSION);
  json_w_kv_string (w, "id", s->id);
  json_w_kv_string (w, "status", s->status);
  if (s->init_pid > 0)
    json_w_kv_int (w, "pid", s->init_pid);
  json_w_kv_string (w, "bundle", s->bundle);
  if (s->n_annotations)
    {
      json_w_key (w, "annotations");
      json_w_object_begin (w);
      for (size_t i = 0; i < s->n_annotations; i++)
        json_w_kv_string (w, s->annotations[i].key, s->annotations[i].value);
      json_w_object_end (w);
    }
  json_w_object_end (w);
}

char *
seccomp_state_json (const seccomp_proc_state *s)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", OCI_SPEC_VERSION);
  json_w_key (w, "fds");
  json_w_array_begin (w);
  json_w_string (w, "seccompFd");
  json_w_array_end (w);
  json_w_kv_int (w, "pid", s->pid);
  if (s->metadata && s->metadata[0])
    json_w_kv_string (w, "metadata", s->metadata);
  write_state (w, s);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

int
seccomp_notify_send (const char *listener_path, const seccomp_proc_state *s, int listener_fd, rt_error *err)
{
  _cleanup_free_ char *doc = seccomp_state_json (s);
  _cleanup_close_ int sock = fdpass_connect (listener_path, "the seccomp agent (linux.seccomp.listenerPath)", err);

  if (sock < 0)
    return sock;
  if (fdpass_send (sock, doc, strlen (doc), listener_fd, "the seccomp agent", err) < 0)
    return rt_error_ret (err);
  return 0;
}
