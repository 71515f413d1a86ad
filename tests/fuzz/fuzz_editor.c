/*
 * fuzz_editor.c - the editor command line: $VISUAL/$EDITOR (up to the
 * first NUL) split into words, the note's path (up to the next NUL) and
 * a line number.  The path must come out as exactly one argument.
 */
#include "rustnote/editor.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *editor = fuzz_take_string(&in, 1024, NULL);
	char *file = fuzz_take_string(&in, 1024, NULL);
	int line = (int)fuzz_take_byte(&in) * 256 + (int)fuzz_take_byte(&in);
	char **argv;
	size_t i, hits = 0;

	(void)editor_style(editor);
	(void)editor_needs_shell(editor);
	(void)editor_choose(editor, file, "xterm");
	argv = editor_argv(editor, file, line);
	if (argv != NULL) {
		for (i = 0; argv[i] != NULL; i++)
			if (strstr(argv[i], file) != NULL)
				hits++;
		if (*file != '\0' && hits == 0)
			abort();	/* the note went missing */
		editor_argv_free(argv);
	}
	free(editor);
	free(file);
	return 0;
}
