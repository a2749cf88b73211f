/* handover: writing a file safely. Every file the program writes (a printed
 * document, a CSV export, a backup) goes through here, so each gets the
 * same guarantees:
 *  - it is written to a new temporary file in the target's folder, created
 *    with O_CREAT|O_EXCL|O_NOFOLLOW (a planted symlink cannot redirect it),
 *    flushed to disk and renamed into place: a reader sees the old file or
 *    the whole new one, never half;
 *  - never the open handover file or its -wal, -shm, -journal (compared by
 *    device and inode, not by name), never an existing SQLite database,
 *    journal or WAL, never a folder, device or pipe;
 *  - an existing file only with HO_OUT_FORCE;
 *  - a new file's mode follows the umask; a replaced file keeps its mode;
 *    never a setuid, setgid or sticky bit. */
#ifndef HANDOVER_OUTFILE_H
#define HANDOVER_OUTFILE_H

#include "handover/handover.h"
#include <stdio.h>
#include <sys/types.h>

enum {
	HO_OUT_FORCE = 1,   /* replace an existing file */
	HO_OUT_DATABASE = 2 /* the output is an SQLite database (a backup): with
	                       HO_OUT_FORCE it may replace an earlier backup that
	                       nobody has open */
};

/* A file being written. Fill through `f` (or, for a database, through the
 * temporary name `tmp`), then ho_outfile_commit() or ho_outfile_discard(). */
typedef struct ho_outfile {
	char *path; /* the target, as given */
	char *tmp;  /* the temporary file beside it */
	FILE *f;    /* open for writing on tmp */
	int flags;
	dev_t dev; /* tmp's identity, checked again before the rename */
	ino_t ino;
} ho_outfile;

/* Whether `path` may be written with these flags: HO_OK, or a refusal with
 * its reason in ho_errmsg() (HO_EUSAGE: no name, or a folder; HO_EBADFILE:
 * the folder is missing or not a folder; HO_EPERM: the open file, an SQLite
 * file, not a regular file; HO_EEXIST: exists and no HO_OUT_FORCE). The
 * TUI asks this before offering to replace a file. */
ho_status ho_outfile_check(ho_db *db, const char *path, int flags);
/* Check `path` and create its temporary file. `mode` 0: the mode of the
 * file replaced, else 0666 less the umask; otherwise exactly `mode` (a
 * backup keeps its source's). */
ho_status ho_outfile_open(ho_db *db, const char *path, int flags, mode_t mode, ho_outfile *o);
/* Flush and sync the temporary file, check the target again (time has
 * passed), and move it into place. Without HO_OUT_FORCE a file that
 * appeared meanwhile is not replaced. Always releases `o`. */
ho_status ho_outfile_commit(ho_db *db, ho_outfile *o);
/* Remove the temporary file and release `o`. */
void ho_outfile_discard(ho_outfile *o);

/* A new private scratch file in `dir` named STEM-XXXXXXXXXXXX.SUFFIX, made
 * with O_EXCL|O_NOFOLLOW; returns its descriptor (close-on-exec) and sets
 * *path (caller frees), or -1 with errno. */
int ho_temp_file(const char *dir, const char *stem, const char *suffix, mode_t mode, char **path);

#endif
