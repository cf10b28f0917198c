// The simdjson binding behind json_line.h: one JSON line in, a flat list of
// members out. The DOM parser checks the whole line before it is walked.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <simdjson.h>
#include "log/json_line.h"

using namespace simdjson;

namespace {

// levels of objects whose members are listed: the line's and one below
constexpr int LISTED_DEPTH = 2;

// the DOM parser: its stages are chosen for this CPU when the library
// loads, where the on-demand front end is fixed when this file is compiled
dom::parser parser;
char *padded;        // the line again, with the padding simdjson reads past its end
size_t padded_cap;

struct no_memory {};  // the member list could not grow

void walk(dom::element v, pl_jline &out, pl_jmember &m, int self, int depth);

void walk_members(dom::object o, pl_jline &out, int parent, int depth)
{
	for (dom::key_value_pair kv : o) {
		int self;

		if (out.n == out.cap) {
			size_t cap = out.cap ? 2 * out.cap : 64;
			void *m = realloc(out.m, cap * sizeof(*out.m));

			if (!m)
				throw no_memory();
			out.m = (pl_jmember *)m;
			out.cap = cap;
		}
		self = (int)out.n++;
		pl_jmember &m = out.m[self];

		m = pl_jmember{};
		m.key = kv.key.data();
		m.key_len = kv.key.size();
		m.parent = parent;
		walk(kv.value, out, m, self, depth);
	}
}

// one value, described in m; an object's members listed after it
void walk(dom::element v, pl_jline &out, pl_jmember &m, int self, int depth)
{
	switch (v.type()) {
	case dom::element_type::OBJECT:
		m.type = PL_J_OBJECT;
		if (depth < LISTED_DEPTH) /* deeper members are not listed */
			walk_members(dom::object(v), out, self, depth + 1);
		return;
	case dom::element_type::ARRAY:
		m.type = PL_J_ARRAY;
		return;
	case dom::element_type::STRING: {
		std::string_view s = std::string_view(v);
		m.type = PL_J_STRING;
		m.s = s.data();
		m.len = s.size();
		return;
	}
	case dom::element_type::UINT64:
		m.type = PL_J_UINT;
		m.u = uint64_t(v);
		return;
	case dom::element_type::INT64:
		if (int64_t(v) < 0) {
			m.type = PL_J_INT;
			m.i = int64_t(v);
		} else {
			m.type = PL_J_UINT;
			m.u = (unsigned long long)int64_t(v);
		}
		return;
	case dom::element_type::DOUBLE:
		m.type = PL_J_DOUBLE;
		return;
	case dom::element_type::BOOL:
		m.type = PL_J_BOOL;
		m.b = bool(v);
		return;
	default:
		m.type = PL_J_NULL;
		return;
	}
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

int parse(const char *text, size_t len, pl_jline *out, char *why, size_t whylen)
{
	dom::element doc;
	pl_jmember top;
	error_code err;

	if (len + SIMDJSON_PADDING > padded_cap) {
		size_t cap = (len + SIMDJSON_PADDING) * 2;
		char *p = (char *)realloc(padded, cap);

		if (!p)
			return fail(why, whylen, "out of memory");
		padded = p;
		padded_cap = cap;
	}
	memcpy(padded, text, len);
	memset(padded + len, 0, SIMDJSON_PADDING);
	out->n = 0;
	if ((err = parser.parse(padded, len, false).get(doc)))
	{
		fail(why, whylen, error_words(err));
		return err == UTF8_ERROR ? PL_JLINE_BAD_UTF8 : -1;
	}
	walk(doc, *out, top, -1, 0);
	out->type = top.type;
	return 0;
}

} // namespace

extern "C" int pl_jline_parse(const char *text, size_t len, pl_jline *out, char *why, size_t whylen)
{
	try {
		return parse(text, len, out, why, whylen);
	} catch (...) {
		snprintf(why, whylen, "out of memory");
	}
	return -1;
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

	for (size_t i = 0; i < j->n; i++)
		if (j->m[i].parent == parent && j->m[i].key_len == len &&
		    !memcmp(j->m[i].key, key, len))
			return (int)i;
	return -1;
}
