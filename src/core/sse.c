/*
 * sse.c - incremental Server-Sent Events and NDJSON parser.
 *
 * The parser only ever holds one line and one event, both capped, so a
 * server that never sends a line end cannot make it grow without bound.
 */
#include <string.h>

#include "rustnote/sse.h"

#define SSE_BOM "\xef\xbb\xbf"

void
sse_init(struct sse_parser *p, enum sse_mode mode, size_t max_event,
    sse_event_cb cb, void *ud)
{
	memset(p, 0, sizeof *p);
	p->mode = mode;
	p->max_event = max_event;
	p->cb = cb;
	p->ud = ud;
	buf_init(&p->line, max_event);
	buf_init(&p->data, max_event);
	buf_init(&p->event, max_event);
}

void
sse_free(struct sse_parser *p)
{
	buf_free(&p->line);
	buf_free(&p->data);
	buf_free(&p->event);
}

void
sse_reset(struct sse_parser *p)
{
	buf_reset(&p->line);
	buf_reset(&p->data);
	buf_reset(&p->event);
	p->has_data = false;
	p->skip_lf = false;
	p->started = false;
	p->stopped = 0;
	p->nevents = 0;
}

static int
sse_emit(struct sse_parser *p, const char *event, const char *data,
    size_t len)
{
	p->nevents++;
	return p->cb(p->ud, event, data, len);
}

/* A blank line: hand over the event, if it has any data. */
static int
sse_dispatch(struct sse_parser *p)
{
	const char *name;
	int rc;

	if (!p->has_data) {
		buf_reset(&p->event);
		return 0;
	}
	name = p->event.len > 0 ? buf_str(&p->event) : "message";
	rc = sse_emit(p, name, buf_str(&p->data), p->data.len);
	buf_reset(&p->data);
	buf_reset(&p->event);
	p->has_data = false;
	return rc;
}

static int
sse_field(struct sse_parser *p, const char *name, size_t namelen,
    const char *value, size_t valuelen)
{
	if (namelen == 4 && memcmp(name, "data", 4) == 0) {
		if (p->has_data && buf_addc(&p->data, '\n') != 0)
			return SSE_ETOOBIG;
		if (buf_add(&p->data, value, valuelen) != 0)
			return SSE_ETOOBIG;
		p->has_data = true;
	} else if (namelen == 5 && memcmp(name, "event", 5) == 0) {
		buf_reset(&p->event);
		if (buf_add(&p->event, value, valuelen) != 0)
			return SSE_ETOOBIG;
	}
	/* "id", "retry" and unknown fields are ignored. */
	return 0;
}

static int
sse_event_line(struct sse_parser *p, const char *s, size_t len)
{
	const char *colon, *value;
	size_t namelen, valuelen;

	if (len == 0)
		return sse_dispatch(p);
	if (s[0] == ':')
		return 0;
	colon = memchr(s, ':', len);
	if (colon == NULL)
		return sse_field(p, s, len, "", 0);
	namelen = (size_t)(colon - s);
	value = colon + 1;
	valuelen = len - namelen - 1;
	if (valuelen > 0 && value[0] == ' ') {
		value++;
		valuelen--;
	}
	return sse_field(p, s, namelen, value, valuelen);
}

static bool
sse_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return true;
}

/* The line may lie in the caller's bytes: lend a NUL-terminated copy. */
static int
sse_ndjson_line(struct sse_parser *p, const char *s, size_t len)
{
	int rc;

	buf_reset(&p->data);
	if (buf_add(&p->data, s, len) != 0)
		return SSE_ETOOBIG;
	rc = sse_emit(p, NULL, buf_str(&p->data), p->data.len);
	buf_reset(&p->data);
	return rc;
}

/* One complete line s[0..len), without its line end. */
static int
sse_line(struct sse_parser *p, const char *s, size_t len)
{
	if (!p->started) {
		p->started = true;
		if (len >= 3 && memcmp(s, SSE_BOM, 3) == 0) {
			s += 3;
			len -= 3;
		}
	}
	if (p->mode == SSE_NDJSON)
		return sse_blank(s, len) ? 0 : sse_ndjson_line(p, s, len);
	return sse_event_line(p, s, len);
}

/* The line held back in p->line is complete. */
static int
sse_held_line(struct sse_parser *p)
{
	int rc;

	rc = sse_line(p, buf_str(&p->line), p->line.len);
	buf_reset(&p->line);
	return rc;
}

/*
 * The first c at or after s in [s, end), or end.  *at (NULL at first)
 * keeps the answer for the next lines of the feed, so that every byte is
 * looked at once per feed, whatever the line ends.
 */
static const char *
sse_next(const char *s, const char *end, int c, const char **at)
{
	if (*at == NULL || *at < s) {
		*at = memchr(s, c, (size_t)(end - s));
		if (*at == NULL)
			*at = end;
	}
	return *at;
}

/* The first CR or LF in [s, end), or NULL. */
static const char *
sse_find_eol(const char *s, const char *end, const char **cr,
    const char **lf)
{
	const char *eol = sse_next(s, end, '\r', cr);

	if (sse_next(s, end, '\n', lf) < eol)
		eol = *lf;
	return eol < end ? eol : NULL;
}

/*
 * Lines are taken straight from the bytes fed; only a line cut by the end
 * of a feed is copied, into p->line, until its end arrives.
 */
int
sse_feed(struct sse_parser *p, const char *bytes, size_t n)
{
	const char *end = bytes + n, *cr = NULL, *lf = NULL, *eol;
	size_t seg;
	int rc;

	while (p->stopped == 0 && bytes < end) {
		if (p->skip_lf) {
			p->skip_lf = false;
			if (bytes[0] == '\n') {
				bytes++;
				continue;
			}
		}
		eol = sse_find_eol(bytes, end, &cr, &lf);
		seg = (size_t)((eol != NULL ? eol : end) - bytes);
		if (seg > p->line.cap - p->line.len) {
			p->stopped = SSE_ETOOBIG;
			break;
		}
		if (eol == NULL || p->line.len > 0) {
			/* checked against the cap above: cannot fail */
			buf_add(&p->line, bytes, seg);
			if (eol == NULL)
				break;
			rc = sse_held_line(p);
		} else
			rc = sse_line(p, bytes, seg);
		p->skip_lf = *eol == '\r';
		bytes = eol + 1;
		if (rc != 0)
			p->stopped = rc;
	}
	return p->stopped;
}

int
sse_finish(struct sse_parser *p)
{
	int rc;

	if (p->stopped != 0)
		return p->stopped;
	p->skip_lf = false;
	if (p->line.len > 0 && (rc = sse_held_line(p)) != 0)
		return p->stopped = rc;
	if (p->mode == SSE_EVENTS && (rc = sse_dispatch(p)) != 0)
		return p->stopped = rc;
	return 0;
}
