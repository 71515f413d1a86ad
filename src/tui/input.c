/*
 * input.c - the one-line prompts of the keys line (search, a question to
 * the tutor): Enter submits, Esc gives up, Backspace on an empty line gives
 * up as in less and vim, Ctrl-U clears, printable characters are added.
 */
#include "rustnote/layout.h"
#include "tui_int.h"

#define ESC 0x1b
#define CTRL_U 0x15

static void
delete_last_char(struct buf *b)
{
	size_t n = b->len;

	while (n > 0 && ((unsigned char)b->data[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	b->len = n;
	b->data[n] = '\0';
}

static void
add_char(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

static bool
is_backspace(int code, bool fn)
{
	return (fn && code == KEY_BACKSPACE) ||
	    (!fn && (code == 0x7f || code == '\b'));
}

enum input_result
input_key(struct buf *in, int code, bool fn, size_t max)
{
	if (!fn && code == ESC)
		return INPUT_CANCEL;
	if ((!fn && (code == '\r' || code == '\n')) ||
	    (fn && code == KEY_ENTER))
		return INPUT_SUBMIT;
	if (is_backspace(code, fn) && in->len == 0)
		return INPUT_CANCEL;
	if (is_backspace(code, fn))
		delete_last_char(in);
	else if (!fn && code == CTRL_U)
		buf_reset(in);
	else if (!fn && code >= ' ' && code != 0x7f &&
	    layout_cp_width((unsigned)code) >= 0 && in->len + 4 <= max)
		add_char(in, (unsigned)code);
	return INPUT_EDITED;
}
