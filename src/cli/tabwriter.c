/* Column alignment exactly like Go's text/tabwriter (flags 0, padchar
 * ' '), which runc uses for `list` and its CLI framework for help: a cell
 * is text terminated by '\t'; consecutive lines that have a cell in the
 * same column form a block, and the column is as wide as its widest cell
 * plus the padding (at least minwidth).  The text after a line's last tab
 * is never padded.  */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

typedef struct tw_cell
{
  const char *text;
  size_t len;
  size_t width; /* in code points, as Go counts runes */
} tw_cell;

typedef struct tw_line
{
  tw_cell *cells;
  size_t n;
} tw_line;

typedef struct tw
{
  tw_line *lines;
  size_t n_lines;
  size_t widths[64];
  size_t n_widths;
  int minwidth, padding;
  FILE *out;
} tw;

static size_t
rune_count (const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char) s[i] & 0xc0) != 0x80)
      n++;
  return n;
}

static void
write_lines (tw *t, size_t line0, size_t line1)
{
  for (size_t i = line0; i < line1; i++)
    {
      const tw_line *l = &t->lines[i];

      for (size_t j = 0; j < l->n; j++)
        {
          const tw_cell *c = &l->cells[j];

          fwrite (c->text, 1, c->len, t->out);
          if (j < t->n_widths)
            for (size_t k = c->width; k < t->widths[j]; k++)
              fputc (' ', t->out);
        }
      if (i + 1 < t->n_lines)
        fputc ('\n', t->out);
    }
}

/* Go's tabwriter.format: find the column blocks of this column within
 * [line0, line1), recursing into the next column for each block.  */
static void
format (tw *t, size_t line0, size_t line1)
{
  size_t column = t->n_widths;

  for (size_t this = line0; this < line1; this++)
    {
      size_t width;

      if (column + 1 >= t->lines[this].n)
        continue;
      write_lines (t, line0, this);
      line0 = this;

      width = (size_t) t->minwidth;
      for (; this < line1; this++)
        {
          const tw_line *l = &t->lines[this];
          if (column + 1 >= l->n)
            break;
          if (l->cells[column].width + (size_t) t->padding > width)
            width = l->cells[column].width + (size_t) t->padding;
        }

      if (t->n_widths < ARRAY_SIZE (t->widths))
        {
          t->widths[t->n_widths++] = width;
          format (t, line0, this);
          t->n_widths--;
        }
      else
        write_lines (t, line0, this);
      /* `this` ended the block and has no cell in this column, so the
         loop's increment may skip it.  */
      line0 = this;
    }
  write_lines (t, line0, line1);
}

char *
tabwriter_format (const char *text, int minwidth, int padding)
{
  tw t = { .minwidth = minwidth, .padding = padding };
  char *buf = NULL;
  size_t len = 0;
  const char *p = text;

  /* Split into lines and cells; the pieces point into `text`.  */
  for (;;)
    {
      const char *eol = strchr (p, '\n');
      const char *end = eol ? eol : p + strlen (p);
      tw_line *l;

      t.lines = xrealloc (t.lines, (t.n_lines + 1) * sizeof *t.lines);
      l = &t.lines[t.n_lines++];
      l->cells = NULL;
      l->n = 0;
      for (const char *c = p;;)
        {
          const char *tab = memchr (c, '\t', (size_t) (end - c));
          const char *cend = tab ? tab : end;

          l->cells = xrealloc (l->cells, (l->n + 1) * sizeof *l->cells);
          l->cells[l->n].text = c;
          l->cells[l->n].len = (size_t) (cend - c);
          l->cells[l->n].width = rune_count (c, (size_t) (cend - c));
          l->n++;
          if (tab == NULL)
            break;
          c = tab + 1;
        }
      if (eol == NULL)
        break;
      p = eol + 1;
    }

  t.out = open_memstream (&buf, &len);
  if (t.out == NULL)
    abort ();
  format (&t, 0, t.n_lines);
  fclose (t.out);

  for (size_t i = 0; i < t.n_lines; i++)
    free (t.lines[i].cells);
  free (t.lines);
  return buf;
}
