/* TCP request/response latency for bench/net.sh: the client sends SIZE
 * bytes, the server echoes them, COUNT times over one connection with
 * TCP_NODELAY; the client prints mean, median and 99th percentile round
 * trip in microseconds.
 *
 *   rr server PORT            (serves connections until killed)
 *   rr client HOST PORT COUNT SIZE  */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int
full (int fd, char *buf, size_t len, int writing)
{
  size_t done = 0;
  while (done < len)
    {
      ssize_t n = writing ? write (fd, buf + done, len - done) : read (fd, buf + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      done += (size_t) n;
    }
  return 0;
}

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
nodelay (int fd)
{
  int one = 1;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
serve (int port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  int one = 1, ls = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  char buf[65536];

  setsockopt (ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (ls, (struct sockaddr *) &sa, sizeof sa) < 0 || listen (ls, 8) < 0)
    {
      perror ("rr server: bind/listen");
      return 1;
    }
  for (;;)
    {
      int c = accept4 (ls, NULL, NULL, SOCK_CLOEXEC);
      ssize_t n;
      if (c < 0)
        continue;
      nodelay (c);
      while ((n = read (c, buf, sizeof buf)) > 0)
        if (full (c, buf, (size_t) n, 1) < 0)
          break;
      close (c);
    }
}

static int
client (const char *host, int port, int count, int size)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  double *rtt = calloc (count, sizeof *rtt), sum = 0;
  char *buf = calloc (1, size);
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (inet_pton (AF_INET, host, &sa.sin_addr) != 1 || connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      perror ("rr client: connect");
      return 1;
    }
  nodelay (fd);
  for (int i = -count / 10; i < count; i++) /* the first tenth warms up */
    {
      struct timespec a, b;
      clock_gettime (CLOCK_MONOTONIC, &a);
      if (full (fd, buf, size, 1) < 0 || full (fd, buf, size, 0) < 0)
        {
          fprintf (stderr, "rr client: connection lost after %d round trips\n", i);
          return 1;
        }
      clock_gettime (CLOCK_MONOTONIC, &b);
      if (i >= 0)
        {
          rtt[i] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
          sum += rtt[i];
        }
    }
  qsort (rtt, count, sizeof *rtt, cmp);
  printf ("%.1f %.1f %.1f\n", sum / count, rtt[count / 2], rtt[count * 99 / 100]);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "server") == 0)
    return serve (atoi (argv[2]));
  if (argc == 6 && strcmp (argv[1], "client") == 0)
    return client (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]));
  fprintf (stderr, "usage: rr server PORT | rr client HOST PORT COUNT SIZE\n");
  return 2;
}
