/* Writing a file safely: the one way every output of the program reaches
 * the disk (see include/handover/outfile.h for what it guarantees). */
#define _GNU_SOURCE
#include "handover/outfile.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const companions[] = {"-wal", "-shm", "-journal"};
#define NCOMPANIONS (sizeof companions / sizeof companions[0])

enum sqlite_kind { NOT_SQLITE, SQLITE_DB, SQLITE_WAL, SQLITE_JOURNAL };

/* What the first bytes of a regular file say it is. Opened without
 * blocking and never as a controlling terminal; only our own process's
 * locks could be dropped by the close, and the open handover file is
 * refused before this is asked. */
static enum sqlite_kind sqlite_kind_of(const char *path)
{
	static const unsigned char journal[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
	unsigned char head[16];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NOT_SQLITE;
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	if (n == 16 && memcmp(head, "SQLite format 3", 16) == 0)
		return SQLITE_DB;
	if (n >= 4 && head[0] == 0x37 && head[1] == 0x7f && head[2] == 0x06 &&
	    (head[3] == 0x82 || head[3] == 0x83))
		return SQLITE_WAL;
	if (n >= 8 && memcmp(head, journal, 8) == 0)
		return SQLITE_JOURNAL;
	return NOT_SQLITE;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* path + suffix as a new string. */
static char *joined(const char *path, const char *suffix)
{
	size_t a = strlen(path), b = strlen(suffix);
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, path, a);
		memcpy(s + a, suffix, b + 1);
	}
	return s;
}

/* Whether `st` is the open handover file or one of its companions. */
static int is_open_file(ho_db *db, const struct stat *st)
{
	const char *dbpath = ho_path(db);
	struct stat sb;
	if (!dbpath || !*dbpath)
		return 0;
	if (stat(dbpath, &sb) == 0 && same_file(&sb, st))
		return 1;
	for (size_t i = 0; i < NCOMPANIONS; i++) {
		char *name = joined(dbpath, companions[i]);
		int same = name && stat(name, &sb) == 0 && same_file(&sb, st);
		free(name);
		if (same)
			return 1;
	}
	return 0;
}

/* The folder part of a path ("." for a bare name), a new string. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* A refusal naming the file, the name sanitised for the message. */
static ho_status refuse(ho_db *db, ho_status st, const char *before, const char *path,
                        const char *after, const char *detail)
{
	char *clean = ho_sanitise(path, HO_SAN_LINE);
	char *clean_detail = detail ? ho_sanitise(detail, HO_SAN_LINE) : NULL;
	st = store_fail(db, st, "%s%s%s%s", before, clean ? clean : "the file", after,
	                clean_detail ? clean_detail : "");
	free(clean);
	free(clean_detail);
	return st;
}

/* A file named like a companion (X-wal, X-shm, X-journal) of the open
 * file or of any SQLite database: refused even before it exists, since
 * SQLite would take it for that database's journal. */
static ho_status check_companion_name(ho_db *db, const char *path)
{
	size_t len = strlen(path);
	for (size_t i = 0; i < NCOMPANIONS; i++) {
		size_t n = strlen(companions[i]);
		if (len <= n || strcmp(path + len - n, companions[i]) != 0)
			continue;
		char *owner = strndup(path, len - n);
		struct stat sb;
		ho_status st = HO_OK;
		if (!owner)
			return store_fail(db, HO_ENOMEM, "out of memory");
		if (stat(owner, &sb) == 0 && is_open_file(db, &sb))
			st = refuse(db, HO_EPERM, "", path,
			            " belongs to the open handover file; not written", NULL);
		else if (stat(owner, &sb) == 0 && S_ISREG(sb.st_mode) &&
		         sqlite_kind_of(owner) == SQLITE_DB)
			st = refuse(db, HO_EPERM, "", path, " belongs to the SQLite database ",
			            owner);
		free(owner);
		if (st != HO_OK)
			return st;
	}
	return HO_OK;
}

ho_status ho_outfile_check(ho_db *db, const char *path, int flags)
{
	struct stat sb, link_sb;
	if (!path || !*path)
		return store_fail(db, HO_EUSAGE, "no file name given");
	size_t len = strlen(path);
	if (path[len - 1] == '/' || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return refuse(db, HO_EUSAGE, "", path, " is a folder: give a file name", NULL);

	char *dir = folder_of(path);
	if (!dir)
		return store_fail(db, HO_ENOMEM, "out of memory");
	ho_status st = HO_OK;
	if (stat(dir, &sb) != 0)
		st = errno == ENOENT || errno == ENOTDIR
		         ? refuse(db, HO_EBADFILE, "folder ", dir, " does not exist", NULL)
		         : refuse(db, HO_EBADFILE, "cannot reach folder ", dir, ": ",
		                  strerror(errno));
	else if (!S_ISDIR(sb.st_mode))
		st = refuse(db, HO_EBADFILE, "", dir, " is not a folder", NULL);
	free(dir);
	if (st != HO_OK)
		return st;

	if ((st = check_companion_name(db, path)) != HO_OK)
		return st;
	if (lstat(path, &link_sb) != 0)
		return HO_OK; /* a new file */
	if (stat(path, &sb) == 0) {
		if (is_open_file(db, &sb))
			return refuse(db, HO_EPERM, "", path,
			              " is the open handover file; not overwritten", NULL);
		if (!S_ISREG(sb.st_mode))
			return refuse(db, HO_EPERM, "", path,
			              " is not a regular file; not overwritten", NULL);
		enum sqlite_kind kind = sqlite_kind_of(path);
		if (kind == SQLITE_DB && (flags & HO_OUT_DATABASE)) {
			/* An earlier backup may be replaced; a database somebody
			 * has open (its -wal) or left mid-change (a -wal or a hot
			 * -journal) may not. A -shm alone holds no data. */
			static const char *const live[] = {"-wal", "-journal"};
			for (size_t i = 0; i < 2; i++) {
				char *name = joined(path, live[i]);
				if (name && lstat(name, &link_sb) == 0) {
					st = refuse(
					    db, HO_EPERM, "", path,
					    " is in use or was left mid-change; not replaced. "
					    "Beside it: ",
					    name);
					free(name);
					return st;
				}
				free(name);
			}
		} else if (kind != NOT_SQLITE) {
			return refuse(db, HO_EPERM, "", path,
			              " is not overwritten: it is an SQLite ",
			              kind == SQLITE_DB ? "database" : "journal");
		}
	}
	if (!(flags & HO_OUT_FORCE))
		return refuse(db, HO_EEXIST, "", path,
		              " already exists; not overwritten (--force replaces it)", NULL);
	return HO_OK;
}

int ho_temp_file(const char *dir, const char *stem, const char *suffix, mode_t mode, char **path)
{
	*path = NULL;
	for (int attempt = 0; attempt < 100; attempt++) {
		uint64_t r = 0;
		if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
			r = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid() << 20 ^
			    (uint64_t)attempt * 40503u ^ (uint64_t)clock();
		char *name = NULL;
		if (asprintf(&name, "%s/%s-%012llx%s", dir, stem,
		             (unsigned long long)(r & 0xffffffffffffULL), suffix) < 0) {
			errno = ENOMEM;
			return -1;
		}
		/* O_EXCL with O_CREAT never follows a symlink at the name; the
		 * O_NOFOLLOW says so once more for the reader. */
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0) {
			*path = name;
			return fd;
		}
		int err = errno;
		free(name);
		if (err != EEXIST) {
			errno = err;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

ho_status ho_outfile_open(ho_db *db, const char *path, int flags, mode_t mode, ho_outfile *o)
{
	memset(o, 0, sizeof *o);
	ho_status st = ho_outfile_check(db, path, flags);
	if (st != HO_OK)
		return st;
	struct stat sb;
	int set_mode = mode != 0;
	if (!set_mode && stat(path, &sb) == 0) {
		/* Replacing a file: it keeps its permissions. */
		mode = sb.st_mode;
		set_mode = 1;
	}
	/* Never a setuid, setgid or sticky bit, whatever was there before. */
	mode &= 0777;

	char *dir = folder_of(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char stem[160];
	/* Hidden, and short enough for any file system's name limit. */
	snprintf(stem, sizeof stem, ".%.120s", base);
	o->path = strdup(path);
	if (!dir || !o->path) {
		free(dir);
		ho_outfile_discard(o);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	/* A new file gets 0666 less the umask from open() itself. */
	int fd = ho_temp_file(dir, stem, "", set_mode ? 0600 : 0666, &o->tmp);
	if (fd < 0) {
		int err = errno;
		st = err == EACCES || err == EROFS || err == EPERM
		         ? refuse(db, HO_EBADFILE, "cannot write in folder ", dir, ": ",
		                  strerror(err))
		         : refuse(db, HO_EIO, "cannot write in folder ", dir, ": ", strerror(err));
		free(dir);
		ho_outfile_discard(o);
		return st;
	}
	free(dir);
	o->flags = flags;
	if ((set_mode && fchmod(fd, mode) != 0) || fstat(fd, &sb) != 0 ||
	    !(o->f = fdopen(fd, "wb"))) {
		st = refuse(db, HO_EIO, "cannot write ", path, ": ", strerror(errno));
		close(fd);
		ho_outfile_discard(o);
		return st;
	}
	o->dev = sb.st_dev;
	o->ino = sb.st_ino;
	return HO_OK;
}

/* Whether the temporary name still names the file we created. */
static int still_ours(const ho_outfile *o)
{
	struct stat sb;
	return o->tmp && lstat(o->tmp, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == o->dev &&
	       sb.st_ino == o->ino;
}

void ho_outfile_discard(ho_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (still_ours(o))
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

/* Move the finished file to its name. Without force, a file that appeared
 * since the check is not replaced: renameat2 NOREPLACE, or link() on file
 * systems without it, or as a last resort one more look then rename. */
static int move_into_place(const ho_outfile *o)
{
	if (o->flags & HO_OUT_FORCE)
		return rename(o->tmp, o->path);
	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	if (link(o->tmp, o->path) == 0) {
		unlink(o->tmp);
		return 0;
	}
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	struct stat sb;
	if (lstat(o->path, &sb) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(o->tmp, o->path);
}

/* The rename is only durable once the folder is on disk too. */
static void sync_folder(const char *path)
{
	char *dir = folder_of(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

ho_status ho_outfile_commit(ho_db *db, ho_outfile *o)
{
	ho_status st = HO_OK;
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) {
		st = refuse(db, HO_EIO, "cannot write ", o->path, ": ",
		            strerror(errno ? errno : EIO));
		goto fail;
	}
	if (!still_ours(o)) {
		st = refuse(db, HO_EIO, "cannot write ", o->path,
		            ": its temporary file was replaced meanwhile", NULL);
		goto fail;
	}
	/* Time has passed since the first check (a long document, a backup
	 * of a big file): the target may have become something else. */
	if ((st = ho_outfile_check(db, o->path, o->flags)) != HO_OK)
		goto fail;
	int closed = fclose(o->f);
	o->f = NULL;
	if (closed != 0) {
		st = refuse(db, HO_EIO, "cannot write ", o->path, ": ", strerror(errno));
		goto fail;
	}
	if (move_into_place(o) != 0) {
		st = errno == EEXIST
		         ? refuse(db, HO_EEXIST, "", o->path,
		                  " appeared meanwhile; not overwritten", NULL)
		         : refuse(db, HO_EIO, "cannot write ", o->path, ": ", strerror(errno));
		goto fail;
	}
	sync_folder(o->path);
	ho_outfile_discard(o);
	return HO_OK;
fail:
	ho_outfile_discard(o);
	return st;
}

void store_follow_umask(const char *path)
{
	/* SQLite creates a database 0644 whatever the umask allows, which
	 * shuts the rest of a team out of a shared folder (umask 002,
	 * setgid group). Its -wal, -shm and -journal copy the database's
	 * mode when they are made, so those already made are set too. */
	mode_t mask = umask(0);
	umask(mask);
	mode_t mode = 0666 & ~mask;
	chmod(path, mode);
	for (size_t i = 0; i < NCOMPANIONS; i++) {
		char *name = joined(path, companions[i]);
		struct stat sb;
		if (name && lstat(name, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid())
			chmod(name, mode);
		free(name);
	}
}
