/*
 * watch.c - notice when the note changes on disk while it is on screen,
 * as when it is edited and saved in another window.
 *
 * inotify on the note's folder (editors often save by writing a new file
 * and renaming it over the old one, which a watch on the file itself would
 * lose) wakes the loop; whether the note really changed is then decided by
 * comparing its stat with the one taken when it was read.  Without
 * inotify the same comparison runs whenever the loop wakes for any other
 * reason, so a change is still seen at the next key.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rustnote/util.h"
#include "tui_int.h"

#define WATCH_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | \
	IN_DELETE | IN_ATTRIB)

int
watch_open(const char *note_path)
{
	char *dir = util_dirname(note_path);
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd >= 0 && inotify_add_watch(fd, dir, WATCH_EVENTS) < 0) {
		close(fd);
		fd = -1;
	}
	free(dir);
	return fd;
}

void
watch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Read what inotify queued; the events only say "look again". */
void
watch_drain(int fd)
{
	char b[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (fd < 0)
		return;
	while (read(fd, b, sizeof(b)) > 0)
		;
}

void
watch_stamp(const char *path, struct watch_stamp *s)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (stat(path, &st) != 0)
		return;
	s->valid = true;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
}

bool
watch_changed(const char *path, const struct watch_stamp *was)
{
	struct watch_stamp now;

	watch_stamp(path, &now);
	if (now.valid != was->valid)
		return true;
	return now.valid && (now.dev != was->dev || now.ino != was->ino ||
	    now.size != was->size || now.mtime.tv_sec != was->mtime.tv_sec ||
	    now.mtime.tv_nsec != was->mtime.tv_nsec);
}
