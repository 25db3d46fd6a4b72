/* The verbs whose library side comes later: their complete flag tables
 * and help are here already, so parsing, --help and flag errors behave as
 * runc's today, and the real handlers only replace later_run.  */
#include "config.h"

#include "cli.h"

/* Handlers of the cgroup verbs, in cmd_cgroup.c.  */
int ps_run (cli_global *g, const cli_parsed *p);
int pause_run (cli_global *g, const cli_parsed *p);
int resume_run (cli_global *g, const cli_parsed *p);
int update_run (cli_global *g, const cli_parsed *p);
int events_run (cli_global *g, const cli_parsed *p);

const cli_flag exec_flags[EXEC_N_FLAGS] = {
  [EXEC_CONSOLE_SOCKET] = { "console-socket", NULL, CLI_STRING,
                            "AF_UNIX socket that receives the master side of the process's "
                            "pseudoterminal (needs --tty and --detach)",
                            NULL, false },
  [EXEC_PIDFD_SOCKET] = { "pidfd-socket", NULL, CLI_STRING,
                          "AF_UNIX socket that receives a pidfd of the new process", NULL, false },
  [EXEC_CWD] = { "cwd", NULL, CLI_STRING, "working directory inside the container", NULL, false },
  [EXEC_ENV] = { "env", "e", CLI_STRING_SLICE,
                 "add an environment variable (NAME=value); may be repeated", NULL, false },
  [EXEC_TTY] = { "tty", "t", CLI_BOOL, "give the process a pseudoterminal", NULL, false },
  [EXEC_USER] = { "user", "u", CLI_STRING, "run as this user: UID[:GID], numeric", NULL, false },
  [EXEC_ADDITIONAL_GIDS] = { "additional-gids", "g", CLI_INT64_SLICE,
                             "add a supplementary group ID; may be repeated", NULL, false },
  [EXEC_PROCESS] = { "process", "p", CLI_STRING,
                     "read the whole process (an OCI \"process\" object) from this JSON file; "
                     "the other process options are then ignored",
                     NULL, false },
  [EXEC_DETACH] = { "detach", "d", CLI_BOOL, "return once the process runs instead of waiting",
                    NULL, false },
  [EXEC_PID_FILE] = { "pid-file", NULL, CLI_STRING, "write the process's host PID to this file",
                      NULL, false },
  [EXEC_PROCESS_LABEL] = { "process-label", NULL, CLI_STRING,
                           "SELinux label of the process", NULL, false },
  [EXEC_APPARMOR] = { "apparmor", NULL, CLI_STRING, "AppArmor profile of the process", NULL,
                      false },
  [EXEC_NO_NEW_PRIVS] = { "no-new-privs", NULL, CLI_BOOL,
                          "set no_new_privs for the process (default: as in config.json)", NULL,
                          false },
  [EXEC_CAP] = { "cap", "c", CLI_STRING_SLICE,
                 "add a capability (CAP_NAME) to the process; may be repeated", NULL, false },
  [EXEC_PRESERVE_FDS] = { "preserve-fds", NULL, CLI_INT,
                          "pass N more file descriptors to the process, after stdio and "
                          "$LISTEN_FDS",
                          "0", false },
  [EXEC_CGROUP] = { "cgroup", NULL, CLI_STRING_SLICE,
                    "run in an existing sub-cgroup: PATH (v2) or CONTROLLERS:PATH (v1, may be "
                    "repeated)",
                    NULL, false },
  [EXEC_IGNORE_PAUSED] = { "ignore-paused", NULL, CLI_BOOL,
                           "allow exec into a paused container (it runs once resumed)", NULL,
                           false },
};

const cli_flag ps_flags[PS_N_FLAGS] = {
  [PS_FORMAT] = { "format", "f", CLI_STRING, "output format: table or json", "table", false },
};

const cli_flag events_flags[EVENTS_N_FLAGS] = {
  [EVENTS_INTERVAL] = { "interval", NULL, CLI_DURATION, "how often to collect statistics", "5s",
                        false },
  [EVENTS_STATS] = { "stats", NULL, CLI_BOOL, "print the statistics once and exit", NULL, false },
};

const cli_flag update_flags[UPDATE_N_FLAGS] = {
  [UPDATE_RESOURCES] = { "resources", "r", CLI_STRING,
                         "read an OCI \"linux.resources\" object from this JSON file, or from "
                         "stdin with '-'; the other options are then ignored",
                         NULL, false },
  [UPDATE_BLKIO_WEIGHT] = { "blkio-weight", NULL, CLI_INT,
                            "block I/O weight, from 10 to 1000", "0", false },
  [UPDATE_CPU_PERIOD] = { "cpu-period", NULL, CLI_STRING,
                          "CPU CFS period in microseconds (0: the system default)", NULL, false },
  [UPDATE_CPU_QUOTA] = { "cpu-quota", NULL, CLI_STRING,
                         "CPU CFS quota in microseconds per period", NULL, false },
  [UPDATE_CPU_BURST] = { "cpu-burst", NULL, CLI_STRING,
                         "CPU CFS burst in microseconds per period", NULL, false },
  [UPDATE_CPU_SHARE] = { "cpu-share", NULL, CLI_STRING, "CPU shares (relative weight)", NULL,
                         false },
  [UPDATE_CPU_RT_PERIOD] = { "cpu-rt-period", NULL, CLI_STRING,
                             "realtime period in microseconds (0: the system default)", NULL,
                             false },
  [UPDATE_CPU_RT_RUNTIME] = { "cpu-rt-runtime", NULL, CLI_STRING,
                              "realtime runtime in microseconds per period", NULL, false },
  [UPDATE_CPUSET_CPUS] = { "cpuset-cpus", NULL, CLI_STRING, "CPUs to run on (e.g. 0-3,6)", NULL,
                           false },
  [UPDATE_CPUSET_MEMS] = { "cpuset-mems", NULL, CLI_STRING, "memory nodes to use (e.g. 0,1)",
                           NULL, false },
  [UPDATE_CPU_IDLE] = { "cpu-idle", NULL, CLI_STRING,
                        "1 to run the cgroup as SCHED_IDLE, 0 to stop", NULL, false },
  [UPDATE_MEMORY] = { "memory", NULL, CLI_STRING, "memory limit in bytes (units like 512m work)",
                      NULL, false },
  [UPDATE_MEMORY_RESERVATION] = { "memory-reservation", NULL, CLI_STRING,
                                  "memory soft limit in bytes", NULL, false },
  [UPDATE_MEMORY_SWAP] = { "memory-swap", NULL, CLI_STRING,
                           "memory plus swap limit in bytes; -1 for unlimited swap", NULL, false },
  [UPDATE_PIDS_LIMIT] = { "pids-limit", NULL, CLI_INT, "maximum number of processes", "0",
                          false },
  [UPDATE_L3_CACHE_SCHEMA] = { "l3-cache-schema", NULL, CLI_STRING,
                               "Intel RDT/CAT L3 cache schema", NULL, false },
  [UPDATE_MEM_BW_SCHEMA] = { "mem-bw-schema", NULL, CLI_STRING,
                             "Intel RDT/MBA memory bandwidth schema", NULL, false },
  /* Obsolete in runc: accepted and ignored with a warning.  */
  [UPDATE_KERNEL_MEMORY] = { "kernel-memory", NULL, CLI_STRING, "obsolete, ignored", NULL, true },
  [UPDATE_KERNEL_MEMORY_TCP] = { "kernel-memory-tcp", NULL, CLI_STRING, "obsolete, ignored", NULL,
                                 true },
};

const cli_flag checkpoint_flags[CKPT_N_FLAGS] = {
  [CKPT_IMAGE_PATH] = { "image-path", NULL, CLI_STRING,
                        "directory for the CRIU image files (default: ./checkpoint)", NULL, false },
  [CKPT_WORK_PATH] = { "work-path", NULL, CLI_STRING, "directory for CRIU's work files and logs",
                       NULL, false },
  [CKPT_PARENT_PATH] = { "parent-path", NULL, CLI_STRING,
                         "images of a previous pre-dump, relative to --image-path", NULL, false },
  [CKPT_LEAVE_RUNNING] = { "leave-running", NULL, CLI_BOOL,
                           "keep the container running after the checkpoint", NULL, false },
  [CKPT_TCP_ESTABLISHED] = { "tcp-established", NULL, CLI_BOOL,
                             "checkpoint established TCP connections", NULL, false },
  [CKPT_TCP_SKIP_IN_FLIGHT] = { "tcp-skip-in-flight", NULL, CLI_BOOL,
                                "skip TCP connections still being set up", NULL, false },
  [CKPT_LINK_REMAP] = { "link-remap", NULL, CLI_BOOL,
                        "allow checkpointing files that are open but unlinked", NULL, false },
  [CKPT_EXT_UNIX_SK] = { "ext-unix-sk", NULL, CLI_BOOL, "allow external unix sockets", NULL,
                         false },
  [CKPT_SHELL_JOB] = { "shell-job", NULL, CLI_BOOL,
                       "allow a process attached to a terminal session", NULL, false },
  [CKPT_LAZY_PAGES] = { "lazy-pages", NULL, CLI_BOOL,
                        "leave memory pages to be fetched lazily on restore (userfaultfd)", NULL,
                        false },
  [CKPT_STATUS_FD] = { "status-fd", NULL, CLI_INT,
                       "file descriptor on which CRIU writes \\0 once lazy pages are ready", "-1",
                       false },
  [CKPT_PAGE_SERVER] = { "page-server", NULL, CLI_STRING,
                         "send memory pages to this page server (ADDRESS:PORT)", NULL, false },
  [CKPT_FILE_LOCKS] = { "file-locks", NULL, CLI_BOOL, "checkpoint file locks", NULL, false },
  [CKPT_PRE_DUMP] = { "pre-dump", NULL, CLI_BOOL,
                      "dump memory only and leave the container running", NULL, false },
  [CKPT_MANAGE_CGROUPS_MODE] = { "manage-cgroups-mode", NULL, CLI_STRING,
                                 "CRIU cgroup mode: soft (default), full, strict or ignore", NULL,
                                 false },
  [CKPT_EMPTY_NS] = { "empty-ns", NULL, CLI_STRING_SLICE,
                      "namespace to create empty on restore instead of saving it (network)",
                      NULL, false },
  [CKPT_AUTO_DEDUP] = { "auto-dedup", NULL, CLI_BOOL,
                        "deduplicate memory images automatically", NULL, false },
};

const cli_flag restore_flags[RESTORE_N_FLAGS] = {
  [RESTORE_CONSOLE_SOCKET] = { "console-socket", NULL, CLI_STRING,
                               "AF_UNIX socket that receives the master side of the container's "
                               "pseudoterminal",
                               NULL, false },
  [RESTORE_IMAGE_PATH] = { "image-path", NULL, CLI_STRING,
                           "directory of the CRIU image files (default: ./checkpoint)", NULL,
                           false },
  [RESTORE_WORK_PATH] = { "work-path", NULL, CLI_STRING,
                          "directory for CRIU's work files and logs", NULL, false },
  [RESTORE_TCP_ESTABLISHED] = { "tcp-established", NULL, CLI_BOOL,
                                "restore established TCP connections", NULL, false },
  [RESTORE_EXT_UNIX_SK] = { "ext-unix-sk", NULL, CLI_BOOL, "allow external unix sockets", NULL,
                            false },
  [RESTORE_SHELL_JOB] = { "shell-job", NULL, CLI_BOOL,
                          "allow a process attached to a terminal session", NULL, false },
  [RESTORE_FILE_LOCKS] = { "file-locks", NULL, CLI_BOOL, "restore file locks", NULL, false },
  [RESTORE_MANAGE_CGROUPS_MODE] = { "manage-cgroups-mode", NULL, CLI_STRING,
                                    "CRIU cgroup mode: soft (default), full, strict or ignore",
                                    NULL, false },
  [RESTORE_BUNDLE] = { "bundle", "b", CLI_STRING,
                       "bundle directory, default: the current directory", NULL, false },
  [RESTORE_DETACH] = { "detach", "d", CLI_BOOL,
                       "return once the container runs instead of waiting", NULL, false },
  [RESTORE_PID_FILE] = { "pid-file", NULL, CLI_STRING, "write the init's host PID to this file",
                         NULL, false },
  [RESTORE_NO_SUBREAPER] = { "no-subreaper", NULL, CLI_BOOL,
                             "do not become a subreaper for the container's orphaned processes",
                             NULL, false },
  [RESTORE_NO_PIVOT] = { "no-pivot", NULL, CLI_BOOL,
                         "enter the rootfs with MS_MOVE and chroot instead of pivot_root", NULL,
                         false },
  [RESTORE_EMPTY_NS] = { "empty-ns", NULL, CLI_STRING_SLICE,
                         "namespace to create empty instead of restoring it (network)", NULL,
                         false },
  [RESTORE_AUTO_DEDUP] = { "auto-dedup", NULL, CLI_BOOL,
                           "deduplicate memory images automatically", NULL, false },
  [RESTORE_LAZY_PAGES] = { "lazy-pages", NULL, CLI_BOOL,
                           "fetch memory pages lazily (userfaultfd)", NULL, false },
  [RESTORE_LSM_PROFILE] = { "lsm-profile", NULL, CLI_STRING,
                            "LSM profile for the restored process, as TYPE:NAME", NULL, false },
  [RESTORE_LSM_MOUNT_CONTEXT] = { "lsm-mount-context", NULL, CLI_STRING,
                                  "LSM mount context for the restored mounts", NULL, false },
};

static int
later_run (cli_global *g, const cli_parsed *p, const char *verb, int code)
{
  return cli_not_implemented (verb, code);
}

#define LATER(fn, verb, code)                                                                      \
  static int fn (cli_global *g, const cli_parsed *p)                                               \
  {                                                                                                \
    return later_run (g, p, verb, code);                                                           \
  }

LATER (checkpoint_run, "checkpoint", 1)
LATER (restore_run, "restore", 1)

#define ID_ARG(what) "<container-id>\n\n<container-id> names the container to " what "."


const cli_command cmd_ps = {
  .name = "ps",
  .usage = "show the processes of a container",
  .args_usage = "<container-id> [ps options]\n"
                "\n"
                "Everything after <container-id> is passed to ps(1) (default: -ef).",
  .flags = ps_flags,
  .n_flags = PS_N_FLAGS,
  .stop_at_arg = true,
  .min_args = 1,
  .max_args = -1,
  .needs_state = true,
  .run = ps_run,
};

const cli_command cmd_pause = {
  .name = "pause",
  .usage = "freeze every process of a container",
  .args_usage = ID_ARG ("pause"),
  .description = "Freeze every process of the container with the cgroup freezer.\n"
                 "\"runc list\" shows which containers are paused.",
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = pause_run,
};

const cli_command cmd_resume = {
  .name = "resume",
  .usage = "thaw the processes of a paused container",
  .args_usage = ID_ARG ("resume"),
  .description = "Thaw every process of a container paused with \"runc pause\".",
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = resume_run,
};

const cli_command cmd_update = {
  .name = "update",
  .usage = "change the resource limits of a container",
  .args_usage = "<container-id>\n"
                "\n"
                "Change the cgroup limits of a running container, from the options or from\n"
                "an OCI \"linux.resources\" JSON object given with --resources, e.g.\n"
                "\n"
                "   {\"memory\": {\"limit\": 536870912}, \"cpu\": {\"quota\": 50000, \"period\": 100000}}\n"
                "\n"
                "Values left out keep their current setting.  Devices, hugepages, network and\n"
                "RDMA limits are not changed.",
  .flags = update_flags,
  .n_flags = UPDATE_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = update_run,
};

const cli_command cmd_events = {
  .name = "events",
  .usage = "print resource statistics and OOM events of a container",
  .args_usage = ID_ARG ("watch"),
  .description = "Print one JSON object per line: resource statistics every --interval, and\n"
                 "out-of-memory events as they happen, until the container's cgroup is gone.",
  .flags = events_flags,
  .n_flags = EVENTS_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = events_run,
};

const cli_command cmd_checkpoint = {
  .name = "checkpoint",
  .usage = "save a running container to disk with CRIU",
  .args_usage = ID_ARG ("checkpoint"),
  .description = "Save the state of a running container to disk with CRIU, so that\n"
                 "\"runc restore\" can bring it back.",
  .flags = checkpoint_flags,
  .n_flags = CKPT_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = checkpoint_run,
};

const cli_command cmd_restore = {
  .name = "restore",
  .usage = "bring back a checkpointed container",
  .args_usage = ID_ARG ("restore"),
  .description = "Bring back a container saved by \"runc checkpoint\", from the bundle and the\n"
                 "CRIU images.",
  .flags = restore_flags,
  .n_flags = RESTORE_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = restore_run,
};
