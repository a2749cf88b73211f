/* Long text in the person's own editor: $VISUAL, else $EDITOR, else vi, as
 * mutt and git do. The text goes to a private temporary file (0600, in
 * $TMPDIR or /tmp), the editor runs on the terminal with curses ended, and
 * what was saved comes back; the file is removed whatever happens. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"

/* What the editor may leave for a prompt: more than any answer may hold,
 * so an over-long text comes back to be counted and shortened, not cut;
 * past this it is refused whole. */
#define EDIT_MAX_BYTES (4 * HO_MAX_TEXT)

static const char *editor_command(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !e[0])
		e = getenv("EDITOR");
	return e && e[0] ? e : "vi";
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Run the editor on path with the terminal handed over, as system() does:
 * the parent ignores the interrupt and quit keys while it waits (the
 * editor gets them). Returns the wait status, or -1. */
static int run_editor(const char *path)
{
	const char *editor = editor_command();
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		/* As git runs it: the command may carry arguments and quotes
		 * ("code -w", "nano -R"), which the shell reads; the file is
		 * one argument whatever its name. */
		char *script = NULL;
		if (asprintf(&script, "%s \"$@\"", editor) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", script, editor, path, (char *)NULL);
		_exit(127);
	}
	int status = -1;
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return pid > 0 ? status : -1;
}

/* The file's text: CR LF as LF, and the line break editors add at the end
 * dropped. NULL when it cannot be read or is far too long (*too_long). */
static char *read_back(const char *path, int *too_long)
{
	*too_long = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = malloc(EDIT_MAX_BYTES + 2);
	size_t n = buf ? fread(buf, 1, EDIT_MAX_BYTES + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return NULL;
	}
	if (n > EDIT_MAX_BYTES) {
		*too_long = 1;
		free(buf);
		return NULL;
	}
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n')
			continue;
		buf[out++] = buf[i] == '\r' ? '\n' : buf[i];
	}
	while (out > 0 && buf[out - 1] == '\n')
		out--;
	buf[out] = '\0';
	return buf;
}

int tui_edit_text(tui_app *app, const char *text, char **out)
{
	*out = NULL;
	int rc = -1, fd = -1;
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/handover-edit-XXXXXX.txt", dir && dir[0] ? dir : "/tmp");
	/* mkstemps makes it 0600 and ours alone; said again in case a umask
	 * or an old libc thinks otherwise. */
	fd = mkstemps(path, 4);
	if (fd < 0) {
		tui_error(app, "Cannot make a temporary file for the editor: %s.", strerror(errno));
		return -1;
	}
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 || write_all(fd, text, strlen(text)) != 0 ||
	    (text[0] && write_all(fd, "\n", 1) != 0) || close(fd) != 0) {
		fd = -1;
		tui_error(app, "Cannot write the temporary file for the editor: %s.",
		          strerror(errno));
		goto cleanup;
	}
	fd = -1;

	tui_curses_end();
	fflush(stdout);
	int status = run_editor(path);
	/* Back in the program's terminal modes, every line drawn again. */
	doupdate();
	tui_paste_mode(NULL, 1);
	clearok(curscr, TRUE);
	app->dirty = 1;

	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *cmd = tui_clean(editor_command());
		if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
			tui_error(app,
			          "Could not run the editor \"%s\" (set VISUAL or EDITOR): "
			          "the text is as it was.",
			          cmd);
		else
			tui_error(app,
			          "The editor \"%s\" did not end cleanly: the text is as it was.",
			          cmd);
		free(cmd);
		goto cleanup;
	}
	int too_long = 0;
	*out = read_back(path, &too_long);
	if (!*out) {
		if (too_long)
			tui_error(app,
			          "The text written is far over the limit (%d bytes): the text "
			          "is as it was.",
			          HO_MAX_TEXT);
		else
			tui_error(app,
			          "Cannot read back what the editor saved: the text is as it was.");
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	unlink(path);
	return rc;
}
