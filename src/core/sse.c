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

/* One complete line, without its line end, is in p->line. */
static int
sse_line(struct sse_parser *p)
{
	const char *s = buf_str(&p->line);
	size_t len = p->line.len;
	int rc;

	if (!p->started) {
		p->started = true;
		if (len >= 3 && memcmp(s, SSE_BOM, 3) == 0) {
			s += 3;
			len -= 3;
		}
	}
	if (p->mode == SSE_NDJSON)
		rc = sse_blank(s, len) ? 0 : sse_emit(p, NULL, s, len);
	else
		rc = sse_event_line(p, s, len);
	buf_reset(&p->line);
	return rc;
}

static const char *
sse_find_eol(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			return s + i;
	}
	return NULL;
}

int
sse_feed(struct sse_parser *p, const char *bytes, size_t n)
{
	const char *eol;
	size_t seg;
	int rc;

	while (p->stopped == 0 && n > 0) {
		if (p->skip_lf) {
			p->skip_lf = false;
			if (bytes[0] == '\n') {
				bytes++;
				n--;
				continue;
			}
		}
		eol = sse_find_eol(bytes, n);
		seg = eol != NULL ? (size_t)(eol - bytes) : n;
		if (buf_add(&p->line, bytes, seg) != 0) {
			p->stopped = SSE_ETOOBIG;
			break;
		}
		if (eol == NULL)
			break;
		p->skip_lf = *eol == '\r';
		bytes += seg + 1;
		n -= seg + 1;
		if ((rc = sse_line(p)) != 0)
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
	if (p->line.len > 0 && (rc = sse_line(p)) != 0)
		return p->stopped = rc;
	if (p->mode == SSE_EVENTS && (rc = sse_dispatch(p)) != 0)
		return p->stopped = rc;
	return 0;
}
