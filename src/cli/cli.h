/* The command-line layer: the only code that prints.
 *
 * Flags are parsed the way runc's CLI framework (urfave/cli over Go's flag
 * package) parses them, because containerd, podman and conmon build our
 * command lines exactly as they build runc's: `-flag`, `--flag`,
 * `--flag=value`, `--flag value`, bool flags without a value, repeatable
 * flags never split on commas, and Go's wording for every parse error.
 *
 * Each verb describes itself with a cli_command (name, help text, flag
 * table, argument count) and implements a handler; main.c does the rest:
 * global options, logging, help, argument checks and the state root.  */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "error.h"

/* ---- flags (opts.c) ------------------------------------------------------ */

enum cli_flag_type
{
  CLI_BOOL,
  CLI_STRING,
  CLI_INT,          /* Go int: decimal, 0x.., 0o.., 0b.., 0.. (octal), '_' separators */
  CLI_UINT,         /* the same without a sign */
  CLI_DURATION,     /* Go time.Duration ("5s", "1m30s", "250ms"), kept in nanoseconds */
  CLI_STRING_SLICE, /* repeatable, each occurrence is one element */
  CLI_INT64_SLICE,  /* repeatable integers */
};

typedef struct cli_flag
{
  const char *name;  /* long name without dashes */
  const char *alias; /* second name, usually one letter, or NULL */
  enum cli_flag_type type;
  const char *usage;  /* help text */
  const char *defval; /* default in flag syntax, shown in help; NULL = none */
  bool hidden;        /* accepted but not shown (obsolete flags) */
} cli_flag;

typedef struct cli_value
{
  bool set; /* given on the command line (even if equal to the default) */
  bool b;
  const char *s; /* points into argv or at the flag's defval */
  int64_t i;     /* CLI_INT; CLI_DURATION in nanoseconds */
  uint64_t u;
  const char **strv; /* CLI_STRING_SLICE, n elements */
  int64_t *intv;     /* CLI_INT64_SLICE, n elements */
  size_t n;
} cli_value;

typedef struct cli_parsed
{
  cli_value *v; /* one per flag of the table, same index */
  size_t n_flags;
  bool help;    /* -h / --help (implicit in every table) */
  char **args;  /* positional arguments, pointing into argv */
  size_t n_args;
} cli_parsed;

/* Parse flags and positionals.  With stop_at_arg the first positional ends
 * flag parsing and it and everything after it are positionals (runc's
 * global options, exec, kill and ps); otherwise flags may follow
 * positionals.  "--" always ends flag parsing.  On failure returns -EINVAL
 * with *msg set to Go's message ("flag provided but not defined: -foo").  */
int cli_parse (const cli_flag *flags, size_t n_flags, int argc, char **argv, bool stop_at_arg,
               cli_parsed *out, char **msg);
void cli_parsed_free (cli_parsed *p);

/* Go's strconv rules, for the flag values: 0, -EINVAL (syntax) or -ERANGE.  */
int go_parse_bool (const char *s, bool *out);
int go_parse_int (const char *s, int64_t *out);
int go_parse_uint (const char *s, uint64_t *out);
int go_parse_duration (const char *s, int64_t *ns);
/* Go's %q (strconv.Quote) of s, malloc'd.  */
char *go_quote (const char *s);

/* ---- commands ------------------------------------------------------------ */

typedef struct cli_global
{
  const char *argv0;
  rt_context ctx; /* ctx.root is only set for commands with needs_state */
  char *root;     /* owned storage behind ctx.root */
  const char *root_opt; /* --root as given, NULL when absent (for doctor, which resolves it itself) */
} cli_global;

typedef int (*cli_handler) (cli_global *g, const cli_parsed *p);

typedef struct cli_command
{
  const char *name;
  const char *alias;       /* NULL or another name ("h" for help) */
  const char *usage;       /* one line: NAME section and the command list */
  const char *args_usage;  /* after the command name in USAGE; NULL = "[arguments...]" */
  const char *description; /* DESCRIPTION section, NULL = none */
  const cli_flag *flags;
  size_t n_flags;
  bool stop_at_arg; /* flags end at the first positional (exec, kill, ps) */
  int min_args;
  int max_args;     /* -1 = no limit */
  bool needs_state; /* resolves --root into ctx before running */
  int fail_code;    /* exit code for runtime errors; 0 = 1 (exec uses 255) */
  cli_handler run;
} cli_command;

/* The flag tables are indexed by these enums, so a handler reads
 * p->v[CREATE_BUNDLE] and the table stays the one description of a verb's
 * flags, for parsing, help, man pages and completions alike.  */
enum global_flag
{
  G_DEBUG,
  G_LOG,
  G_LOG_FORMAT,
  G_ROOT,
  G_CRIU,
  G_SYSTEMD_CGROUP,
  G_ROOTLESS,
  G_VERSION,
  G_N_FLAGS
};

/* create and run share their first entries.  */
enum create_flag
{
  CREATE_BUNDLE,
  CREATE_CONSOLE_SOCKET,
  CREATE_PIDFD_SOCKET,
  CREATE_PID_FILE,
  CREATE_NO_PIVOT,
  CREATE_NO_NEW_KEYRING,
  CREATE_PRESERVE_FDS,
  CREATE_N_FLAGS,
  RUN_DETACH = CREATE_N_FLAGS,
  RUN_KEEP,
  RUN_NO_SUBREAPER,
  RUN_N_FLAGS
};

enum exec_flag
{
  EXEC_CONSOLE_SOCKET,
  EXEC_PIDFD_SOCKET,
  EXEC_CWD,
  EXEC_ENV,
  EXEC_TTY,
  EXEC_USER,
  EXEC_ADDITIONAL_GIDS,
  EXEC_PROCESS,
  EXEC_DETACH,
  EXEC_PID_FILE,
  EXEC_PROCESS_LABEL,
  EXEC_APPARMOR,
  EXEC_NO_NEW_PRIVS,
  EXEC_CAP,
  EXEC_PRESERVE_FDS,
  EXEC_CGROUP,
  EXEC_IGNORE_PAUSED,
  EXEC_N_FLAGS
};

enum ps_flag
{
  PS_FORMAT,
  PS_N_FLAGS
};

enum events_flag
{
  EVENTS_INTERVAL,
  EVENTS_STATS,
  EVENTS_N_FLAGS
};

enum update_flag
{
  UPDATE_RESOURCES,
  UPDATE_BLKIO_WEIGHT,
  UPDATE_CPU_PERIOD,
  UPDATE_CPU_QUOTA,
  UPDATE_CPU_BURST,
  UPDATE_CPU_SHARE,
  UPDATE_CPU_RT_PERIOD,
  UPDATE_CPU_RT_RUNTIME,
  UPDATE_CPUSET_CPUS,
  UPDATE_CPUSET_MEMS,
  UPDATE_CPU_IDLE,
  UPDATE_MEMORY,
  UPDATE_MEMORY_RESERVATION,
  UPDATE_MEMORY_SWAP,
  UPDATE_PIDS_LIMIT,
  UPDATE_L3_CACHE_SCHEMA,
  UPDATE_MEM_BW_SCHEMA,
  UPDATE_KERNEL_MEMORY,
  UPDATE_KERNEL_MEMORY_TCP,
  UPDATE_N_FLAGS
};

enum checkpoint_flag
{
  CKPT_IMAGE_PATH,
  CKPT_WORK_PATH,
  CKPT_PARENT_PATH,
  CKPT_LEAVE_RUNNING,
  CKPT_TCP_ESTABLISHED,
  CKPT_TCP_SKIP_IN_FLIGHT,
  CKPT_LINK_REMAP,
  CKPT_EXT_UNIX_SK,
  CKPT_SHELL_JOB,
  CKPT_LAZY_PAGES,
  CKPT_STATUS_FD,
  CKPT_PAGE_SERVER,
  CKPT_FILE_LOCKS,
  CKPT_PRE_DUMP,
  CKPT_MANAGE_CGROUPS_MODE,
  CKPT_EMPTY_NS,
  CKPT_AUTO_DEDUP,
  CKPT_N_FLAGS
};

enum restore_flag
{
  RESTORE_CONSOLE_SOCKET,
  RESTORE_IMAGE_PATH,
  RESTORE_WORK_PATH,
  RESTORE_TCP_ESTABLISHED,
  RESTORE_EXT_UNIX_SK,
  RESTORE_SHELL_JOB,
  RESTORE_FILE_LOCKS,
  RESTORE_MANAGE_CGROUPS_MODE,
  RESTORE_BUNDLE,
  RESTORE_DETACH,
  RESTORE_PID_FILE,
  RESTORE_NO_SUBREAPER,
  RESTORE_NO_PIVOT,
  RESTORE_EMPTY_NS,
  RESTORE_AUTO_DEDUP,
  RESTORE_LAZY_PAGES,
  RESTORE_LSM_PROFILE,
  RESTORE_LSM_MOUNT_CONTEXT,
  RESTORE_N_FLAGS
};

extern const cli_flag global_flags[G_N_FLAGS];
extern const cli_flag run_flags[RUN_N_FLAGS]; /* create uses the first CREATE_N_FLAGS */
extern const cli_flag exec_flags[EXEC_N_FLAGS];
extern const cli_flag ps_flags[PS_N_FLAGS];
extern const cli_flag events_flags[EVENTS_N_FLAGS];
extern const cli_flag update_flags[UPDATE_N_FLAGS];
extern const cli_flag checkpoint_flags[CKPT_N_FLAGS];
extern const cli_flag restore_flags[RESTORE_N_FLAGS];

extern const cli_command cmd_checkpoint, cmd_create, cmd_delete, cmd_events, cmd_exec, cmd_kill,
    cmd_list, cmd_pause, cmd_ps, cmd_restore, cmd_resume, cmd_run, cmd_spec, cmd_start, cmd_state,
    cmd_update, cmd_features, cmd_doctor, cmd_help;

/* Every command in runc's help order, NULL-terminated.  */
extern const cli_command *const cli_commands[];
const cli_command *cli_command_find (const char *name);

/* ---- help (help.c, tabwriter.c) ------------------------------------------ */

void cli_print_app_help (void);
void cli_print_command_help (const cli_command *c);
void cli_print_version (void);
/* Go text/tabwriter: lines of '\t'-terminated cells aligned per column
 * block; padding with spaces.  Returns a malloc'd string.  */
char *tabwriter_format (const char *text, int minwidth, int padding);

/* ---- logging (log.c) ------------------------------------------------------ */

enum cli_log_level
{
  CLI_LOG_DEBUG,
  CLI_LOG_INFO,
  CLI_LOG_WARNING,
  CLI_LOG_ERROR,
};

/* Validate the format ("text" or "json"), open the log file (or keep
 * stderr when path is NULL or empty) and install the library's warning and
 * debug sinks.  */
int cli_log_open (const char *path, const char *format, bool debug, rt_error *err);
void cli_log_close (void);
void cli_log (enum cli_log_level lvl, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* The error a command dies with: logged at level error, and when the log
 * is a file also written plainly to stderr, as runc's fatal() does.
 * Returns `code` for `return cli_fatal (...)`.  */
int cli_fatal (int code, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Pure line formatters (logrus TextFormatter / JSONFormatter), with the
 * trailing newline; time is RFC 3339.  */
char *cli_log_format_line (bool json, enum cli_log_level lvl, const char *time, const char *msg);
/* RFC 3339 local time with seconds, as logrus prints it.  */
void cli_log_time_now (char *buf, size_t len);

/* ---- helpers for the verbs (common.c, cmd_state.c, cmd_list.c) --------- */

/* Print a whole string to stdout; -errno on a write error.  */
int cli_write_stdout (const char *s, size_t len);
/* Print a command's result; 0, or 1 after reporting the failed write.  */
int cli_output (const char *s, size_t len, const char *what);
/* The value of a string flag, or NULL when empty (runc treats "" as unset). */
const char *cli_str (const cli_parsed *p, int flag);
/* Make path flags absolute before the library may chdir into the bundle.  */
char *cli_abs_path (const char *path);
/* create and run (run's exit status is the container's).  */
int cli_create_or_run (cli_global *g, const cli_parsed *p, bool run);
/* One container as `state` and `list -f json` print it; owner NULL gives
 * "" as in `state`.  */
struct json_writer;
void cli_info_json (struct json_writer *w, const rt_container_info *info, const char *owner);
/* `state`'s output: 2-space indent, no trailing newline.  */
char *cli_state_format (const rt_container_info *info, size_t *len);
/* `list`'s output: IDs with quiet, else a "table" or "json"; NULL for
 * another format.  */
char *cli_list_format (const rt_container_info *infos, size_t n, const char *format, bool quiet);
/* Report a command that is parsed but not implemented yet.  */
int cli_not_implemented (const char *verb, int code);

#endif
