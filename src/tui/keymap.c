/*
 * keymap.c - every key binding in one table; the help screen and the hint
 * line are generated from it, so they cannot disagree with the keys.
 */
#include <string.h>

#include "rustnote/buf.h"
#include "tui_int.h"

#define CTRL(c) ((c) & 0x1f)
#define ESC 0x1b

struct km_binding {
	int code;
	bool fn;		/* a curses KEY_* code, not a character */
	const char *name;	/* shown in the help; NULL: another code
				 * the same key sends (Enter as ^J) */
	enum tui_action action;
};

static const struct km_binding bindings[] = {
	{ KEY_UP, true, "\xE2\x86\x91", ACT_UP },		/* ↑ */
	{ 'k', false, "k", ACT_UP },
	{ KEY_DOWN, true, "\xE2\x86\x93", ACT_DOWN },		/* ↓ */
	{ 'j', false, "j", ACT_DOWN },
	{ CTRL('u'), false, "Ctrl-U", ACT_HALF_UP },
	{ CTRL('d'), false, "Ctrl-D", ACT_HALF_DOWN },
	{ KEY_PPAGE, true, "PgUp", ACT_PAGE_UP },
	{ CTRL('b'), false, "Ctrl-B", ACT_PAGE_UP },
	{ 'b', false, "b", ACT_PAGE_UP },
	{ KEY_NPAGE, true, "PgDn", ACT_PAGE_DOWN },
	{ CTRL('f'), false, "Ctrl-F", ACT_PAGE_DOWN },
	{ ' ', false, "Space", ACT_PAGE_DOWN },
	{ KEY_HOME, true, "Home", ACT_HOME },
	{ 'g', false, "g", ACT_HOME },
	{ KEY_END, true, "End", ACT_END },
	{ 'G', false, "G", ACT_END },
	{ KEY_LEFT, true, "\xE2\x86\x90", ACT_LEFT },		/* ← */
	{ KEY_RIGHT, true, "\xE2\x86\x92", ACT_RIGHT },	/* → */
	{ 'h', false, "h", ACT_PANE_LEFT },
	{ 'l', false, "l", ACT_PANE_RIGHT },
	{ '\t', false, "Tab", ACT_FOCUS },
	{ KEY_BTAB, true, "S-Tab", ACT_FOCUS },
	{ '\r', false, "Enter", ACT_EDIT },
	{ '\n', false, NULL, ACT_EDIT },	/* the same key */
	{ KEY_ENTER, true, NULL, ACT_EDIT },	/* the same key */
	{ 'e', false, "e", ACT_EDIT },
	{ 'r', false, "r", ACT_REVIEW },
	{ 'f', false, "f", ACT_FILTER },
	{ '/', false, "/", ACT_SEARCH },
	{ 'n', false, "n", ACT_SEARCH_NEXT },
	{ 'N', false, "N", ACT_SEARCH_PREV },
	{ 'w', false, "w", ACT_WRAP },
	{ 'a', false, "a", ACT_ASK },
	{ 'd', false, "d", ACT_DISMISS },
	{ 'D', false, "D", ACT_SHOW_DISMISSED },
	{ 'J', false, "J", ACT_DETAIL_DOWN },
	{ 'K', false, "K", ACT_DETAIL_UP },
	{ ESC, false, "Esc", ACT_CANCEL },
	{ CTRL('l'), false, "Ctrl-L", ACT_REDRAW },
	{ '?', false, "?", ACT_HELP },
	{ KEY_F(1), true, "F1", ACT_HELP },
	{ 'q', false, "q", ACT_QUIT },
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

static const char *const action_help[ACT_COUNT] = {
#define X(name, help) [ACT_##name] = help,
	TUI_ACTIONS(X)
#undef X
};

/* The hint line: the keys a new user needs first. */
static const char *const hint_keys[] = {
	"Enter", "r", "f", "/", "d", "Tab", "?", "q"
};
static const char *const hint_words[] = {
	"edit", "review", "filter", "search", "dismiss", "focus", "help",
	"quit"
};

enum tui_action
km_lookup(int code, bool fn)
{
	size_t i;

	for (i = 0; i < NBINDINGS; i++) {
		if (bindings[i].code == code && bindings[i].fn == fn)
			return bindings[i].action;
	}
	return ACT_NONE;
}

const char *
km_help(enum tui_action a)
{
	return a >= 0 && a < ACT_COUNT ? action_help[a] : "";
}

void
km_keys(enum tui_action a, struct buf *out)
{
	size_t i;
	bool first = true;

	for (i = 0; i < NBINDINGS; i++) {
		if (bindings[i].action != a || bindings[i].name == NULL)
			continue;
		if (!first)
			buf_addc(out, ' ');
		buf_adds(out, bindings[i].name);
		first = false;
	}
}

size_t
km_hints(const char *const **keys, const char *const **words)
{
	*keys = hint_keys;
	*words = hint_words;
	return sizeof(hint_keys) / sizeof(hint_keys[0]);
}
