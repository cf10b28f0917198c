// SPDX-License-Identifier: BSD-2-Clause
// The simdjson binding behind json_line.h: JSON text in, a flat list of
// members out. The DOM parser checks the whole text before it is walked.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <simdjson.h>
#include "log/json_line.h"

using namespace simdjson;

// the DOM parser: its stages are chosen for this CPU when the library
// loads, where the on-demand front end is fixed when this file is compiled
struct pl_jparser {
	dom::parser parser;
	char *padded = nullptr; // the text again, with the padding simdjson reads past its end
	size_t padded_cap = 0;

	~pl_jparser() { free(padded); }
};

namespace {

struct no_memory {};  // the member list could not grow
struct too_many {};   // the member list would pass PL_JLINE_MAX_MEMBERS

// a value that holds no other, described in m: false for an object or
// array. Each value is read as the type the document says it is: no read
// can fail. Inline: nearly every member is one
inline __attribute__((always_inline)) bool scalar(dom::element v, pl_jmember &m)
{
	switch (v.type()) {
	case dom::element_type::OBJECT:
	case dom::element_type::ARRAY:
		return false;
	case dom::element_type::STRING: {
		std::string_view s = v.get_string().value_unsafe();
		m.type = PL_J_STRING;
		m.s = s.data();
		m.len = s.size();
		break;
	}
	case dom::element_type::UINT64:
		m.type = PL_J_UINT;
		m.u = v.get_uint64().value_unsafe();
		break;
	case dom::element_type::INT64: {
		int64_t i = v.get_int64().value_unsafe();

		if (i < 0) {
			m.type = PL_J_INT;
			m.i = i;
		} else {
			m.type = PL_J_UINT;
			m.u = (unsigned long long)i;
		}
		break;
	}
	case dom::element_type::DOUBLE:
		m.type = PL_J_DOUBLE;
		break;
	case dom::element_type::BOOL:
		m.type = PL_J_BOOL;
		m.b = v.get_bool().value_unsafe();
		break;
	default:
		m.type = PL_J_NULL;
		break;
	}
	return true;
}

struct walker {
	pl_jline &out;
	unsigned depth;    // levels listed

	void grow();
	int add(int parent, int prev);
	void value(dom::element v, int self, unsigned level);
	void members(dom::object o, int self, unsigned level);
	void elements(dom::array a, int self, unsigned level);
};

// the list doubled, up to its bound: rare, so kept out of add
__attribute__((noinline)) void walker::grow()
{
	if (out.cap >= PL_JLINE_MAX_MEMBERS)
		throw too_many();
	size_t cap = out.cap ? 2 * out.cap : 64;
	if (cap > PL_JLINE_MAX_MEMBERS)
		cap = PL_JLINE_MAX_MEMBERS;
	void *m = realloc(out.m, cap * sizeof(*out.m));

	if (!m)
		throw no_memory();
	out.m = (pl_jmember *)m;
	out.cap = cap;
}

// a new member under parent, linked after prev (-1: parent's first); its
// key and value are the caller's to set
inline int walker::add(int parent, int prev)
{
	if (out.n == out.cap)
		grow();
	int self = (int)out.n++;
	pl_jmember &m = out.m[self];

	m.key = nullptr;
	m.key_len = 0;
	m.parent = parent;
	m.next = m.first = -1;
	m.len = 0;
	if (prev >= 0)
		out.m[prev].next = self;
	else if (parent >= 0)
		out.m[parent].first = self;
	else
		out.first = self;
	return self;
}

void walker::members(dom::object o, int self, unsigned level)
{
	int prev = -1;

	for (dom::key_value_pair kv : o) {
		int m = add(self, prev);

		out.m[m].key = kv.key.data();
		out.m[m].key_len = kv.key.size();
		if (!scalar(kv.value, out.m[m]))
			value(kv.value, m, level);
		prev = m;
	}
}

void walker::elements(dom::array a, int self, unsigned level)
{
	int prev = -1;

	for (dom::element e : a) {
		int m = add(self, prev);

		if (!scalar(e, out.m[m]))
			value(e, m, level);
		prev = m;
	}
}

// one value, described in member self (-1: the top, in out.type); what
// it holds listed after it, while level is within depth
void walker::value(dom::element v, int self, unsigned level)
{
	pl_jmember scratch;

	if (scalar(v, self >= 0 ? out.m[self] : scratch)) {
		if (self < 0)
			out.type = scratch.type;
		return;
	}
	// the list may move as members are added: the type is set first
	bool object = v.type() == dom::element_type::OBJECT;

	if (self >= 0)
		out.m[self].type = object ? PL_J_OBJECT : PL_J_ARRAY;
	else
		out.type = object ? PL_J_OBJECT : PL_J_ARRAY;
	if (level >= depth)
		return;
	if (object)
		members(v.get_object().value_unsafe(), self, level + 1);
	else
		elements(v.get_array().value_unsafe(), self, level + 1);
}

int fail(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "%s", what);
	return -1;
}

const char *error_words(error_code err)
{
	switch (err) {
	case INCOMPLETE_ARRAY_OR_OBJECT:
	case UNCLOSED_STRING:
		return "it ends too soon";
	case EMPTY:
		return "an empty line";
	case UTF8_ERROR:
		return "not valid UTF-8";
	case NUMBER_ERROR:
		return "a malformed number";
	case NUMBER_OUT_OF_RANGE:
		return "a number out of range";
	case STRING_ERROR:
		return "a malformed string";
	case UNESCAPED_CHARS:
		return "a control character in a string";
	case T_ATOM_ERROR:
	case F_ATOM_ERROR:
	case N_ATOM_ERROR:
		return "a malformed true, false or null";
	case DEPTH_ERROR:
		return "nested too deeply";
	case MEMALLOC:
		return "out of memory";
	default:
		return "not well-formed";
	}
}

// a whole number of more than 64 bits outside a string: JSON sets no limit,
// simdjson's DOM calls it a number error
static bool has_big_whole_number(const char *s, size_t len)
{
	static const char max[] = "18446744073709551615";
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = false;
			continue;
		}
		if (s[i] == '"') {
			in_string = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			continue;
		size_t n = 0;
		while (i + n < len && s[i + n] >= '0' && s[i + n] <= '9')
			n++;
		bool whole = (s[i] != '0' || n == 1) &&
			     (i + n >= len || (s[i + n] != '.' && s[i + n] != 'e' && s[i + n] != 'E'));
		if (whole && (n > sizeof(max) - 1 ||
			      (n == sizeof(max) - 1 && memcmp(s + i, max, n) > 0)))
			return true;
		i += n - 1;
	}
	return false;
}

static_assert(SIMDJSON_PADDING <= PL_JLINE_PADDING, "simdjson reads further past a text's end");

// text copied where simdjson may read past its end: NULL when out of memory
const char *padded_copy(pl_jparser &p, const char *text, size_t len)
{
	if (len + SIMDJSON_PADDING > p.padded_cap) {
		size_t cap = (len + SIMDJSON_PADDING) * 2;
		char *b = (char *)realloc(p.padded, cap);

		if (!b)
			return nullptr;
		p.padded = b;
		p.padded_cap = cap;
	}
	memcpy(p.padded, text, len);
	memset(p.padded + len, 0, SIMDJSON_PADDING);
	return p.padded;
}

// padded: text has PL_JLINE_PADDING readable bytes after it, so it is
// parsed where it is
int parse(pl_jparser &p, const char *text, size_t len, bool padded, unsigned depth, pl_jline *out,
	  char *why, size_t whylen)
{
	dom::element doc;
	error_code err;

	if (!padded && !(text = padded_copy(p, text, len)))
		return fail(why, whylen, "out of memory");
	out->n = 0;
	out->first = -1;
	if ((err = p.parser.parse(text, len, false).get(doc))) {
		if (err == NUMBER_ERROR && has_big_whole_number(text, len)) {
			fail(why, whylen, "a whole number past 64 bits (at most 18446744073709551615)");
			return PL_JLINE_BIG_NUMBER;
		}
		fail(why, whylen, error_words(err));
		return err == UTF8_ERROR ? PL_JLINE_BAD_UTF8 : -1;
	}
	walker{ *out, depth }.value(doc, -1, 0);
	return 0;
}

// parse, its failure to allocate said as any other
int guarded(pl_jparser &p, const char *text, size_t len, bool padded, unsigned depth,
	    pl_jline *out, char *why, size_t whylen)
{
	try {
		return parse(p, text, len, padded, depth, out, why, whylen);
	} catch (const too_many &) {
		snprintf(why, whylen, "more than %d values in one line", PL_JLINE_MAX_MEMBERS);
		return -1;
	} catch (...) {
		snprintf(why, whylen, "out of memory");
	}
	return -1;
}

} // namespace

extern "C" pl_jparser *pl_jparser_new(void)
{
	return new (std::nothrow) pl_jparser();
}

extern "C" void pl_jparser_free(pl_jparser *p)
{
	delete p;
}

extern "C" int pl_jline_parse(pl_jparser *p, const char *text, size_t len, unsigned depth,
			      pl_jline *out, char *why, size_t whylen)
{
	return guarded(*p, text, len, false, depth, out, why, whylen);
}

extern "C" int pl_jline_parse_padded(pl_jparser *p, const char *text, size_t len, unsigned depth,
				     pl_jline *out, char *why, size_t whylen)
{
	return guarded(*p, text, len, true, depth, out, why, whylen);
}

extern "C" void pl_jline_free(pl_jline *j)
{
	free(j->m);
	j->m = nullptr;
	j->n = j->cap = 0;
}

extern "C" const char *pl_jtype_name(pl_jtype t)
{
	static const char *const names[] = { "null", "boolean", "int", "int",
					     "double", "string", "object", "array" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

extern "C" int pl_jline_find(const pl_jline *j, int parent, const char *key)
{
	size_t len = strlen(key);
	int i = parent < 0 ? j->first : j->m[parent].first;

	for (; i >= 0; i = j->m[i].next)
		if (j->m[i].key && j->m[i].key_len == len && !memcmp(j->m[i].key, key, len))
			return i;
	return -1;
}
