/* runc features: the OCI features document of this build.  */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "features.h"
#include "util.h"

static int
features_run (cli_global *g, const cli_parsed *p)
{
  _cleanup_free_ char *doc = features_json (), *text = NULL;

  /* runc's JSON encoder ends the document with a newline.  */
  xasprintf (&text, "%s\n", doc);
  return cli_output (text, strlen (text), "features");
}

const cli_command cmd_features = {
  .name = "features",
  .usage = "print what this runtime supports, as JSON",
  .description = "Print, as JSON, what this runtime recognises: spec versions, hooks, mount\n"
                 "options, namespaces, capabilities, cgroup drivers, seccomp actions and more.\n"
                 "The format is the OCI runtime-spec \"features\" structure; a field that is\n"
                 "absent means \"unknown\", false or an empty list means \"not supported\".",
  .min_args = 0,
  .max_args = 0,
  .run = features_run,
};
