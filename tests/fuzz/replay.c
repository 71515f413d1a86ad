/*
 * replay.c - runs one harness over its seed corpus, once, as a test of
 * `make check`: every file of FUZZ_CORPUS (or of the folders and files on
 * the command line) is given to LLVMFuzzerTestOneInput().  A crash or a
 * sanitizer report fails the test; the output is TAP, one line.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_CORPUS
#define FUZZ_CORPUS "."
#endif
#ifndef FUZZ_NAME
#define FUZZ_NAME "fuzz"
#endif

static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((data = realloc(data, cap)) == NULL)
				abort();
		}
		n = fread(data + len, 1, cap - len, fp);
		if (n == 0)
			break;
		len += n;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int
run_path(const char *path, size_t *count)
{
	struct dirent *de;
	struct stat st;
	char *sub;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		sub = malloc(strlen(path) + strlen(de->d_name) + 2);
		if (sub == NULL)
			abort();
		sprintf(sub, "%s/%s", path, de->d_name);
		if (run_path(sub, count) != 0)
			rc = -1;
		free(sub);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	if (argc < 2)
		rc = run_path(FUZZ_CORPUS, &count);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			rc = -1;
	printf("1..1\n");
	if (rc != 0 || count == 0)
		printf("not ok 1 - %s: corpus unreadable or empty\n", FUZZ_NAME);
	else
		printf("ok 1 - %s: %zu inputs replayed\n", FUZZ_NAME, count);
	return rc != 0 || count == 0;
}
