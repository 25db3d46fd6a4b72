#include "config.h"

#include <stdio.h>

int
main (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  fputs ("runc: not built yet\n", stderr);
  return 1;
}
