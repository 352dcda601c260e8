/* The consistency family's word index (lintkit/families/consistency/units.py) in C.

   index_words() does what units._index_words does (the pure-Python reference: both must
   give the same result) and pairs() what units._pairs does; tests/test_c_units.py compares
   them. Each is called once per document. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

/* Interned names and constants, made once by the module's init. */
static PyObject *s_word_columns;
static PyObject *s_paragraph;
static PyObject *s_kind;
static PyObject *s_heading;
static PyObject *s_lower;
static PyObject *int_0;
static PyObject *int_1;

/* A str's characters, read by index. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static void
text_of(PyObject *s, Text *t)
{
    t->kind = PyUnicode_KIND(s);
    t->data = PyUnicode_DATA(s);
    t->len = PyUnicode_GET_LENGTH(s);
}

/* Python's s[i] compared with a character: 1 when equal, 0 when not, -1 with IndexError
   when i is out of range (a negative i counts from the end, as in Python). */
static int
char_is(const Text *t, Py_ssize_t i, Py_UCS4 c)
{
    if (i < 0)
        i += t->len;
    if (i < 0 || i >= t->len) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    return PyUnicode_READ(t->kind, t->data, i) == c;
}

/* Is the character at i (in range) one of the glue characters? */
static int
is_glue_at(const Text *t, Py_ssize_t i, const Py_UCS4 *glue, Py_ssize_t n_glue)
{
    if (i < 0 || i >= t->len)
        return 0;
    Py_UCS4 c = PyUnicode_READ(t->kind, t->data, i);
    for (Py_ssize_t k = 0; k < n_glue; k++) {
        if (glue[k] == c)
            return 1;
    }
    return 0;
}

/* A truth value of a flag: the bools without a call. -1 on error. */
static inline int
truth(PyObject *o)
{
    if (o == Py_True)
        return 1;
    if (o == Py_False)
        return 0;
    return PyObject_IsTrue(o);
}

static int
as_index(PyObject *o, Py_ssize_t *out)
{
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "expected an int offset, not %.100s", Py_TYPE(o)->tp_name);
        return -1;
    }
    Py_ssize_t v = PyLong_AsSsize_t(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

/* Quotations as two sorted arrays of starts and ends. */
typedef struct {
    Py_ssize_t n;
    Py_ssize_t *starts;
    Py_ssize_t *ends;
} Spans;

static int
spans_from(PyObject *quotes, Spans *sp)
{
    Py_ssize_t n = PyList_GET_SIZE(quotes);
    sp->n = 0;
    sp->starts = sp->ends = NULL;
    if (n == 0)
        return 0;
    sp->starts = PyMem_New(Py_ssize_t, n);
    sp->ends = PyMem_New(Py_ssize_t, n);
    if (sp->starts == NULL || sp->ends == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *q = PyList_GET_ITEM(quotes, i);
        if (!PyTuple_Check(q) || PyTuple_GET_SIZE(q) != 2) {
            PyErr_SetString(PyExc_TypeError, "quotes must be (start, end) tuples");
            return -1;
        }
        if (as_index(PyTuple_GET_ITEM(q, 0), &sp->starts[i]) < 0 || as_index(PyTuple_GET_ITEM(q, 1), &sp->ends[i]) < 0)
            return -1;
    }
    sp->n = n;
    return 0;
}

static void
spans_free(Spans *sp)
{
    PyMem_Free(sp->starts);
    PyMem_Free(sp->ends);
    sp->starts = sp->ends = NULL;
}

/* units.in_spans: does the last quotation starting at or before pos end after it? */
static int
in_spans(const Spans *sp, Py_ssize_t pos)
{
    Py_ssize_t lo = 0, hi = sp->n;
    while (lo < hi) { /* bisect_right */
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (pos < sp->starts[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo > 0 && sp->starts[lo - 1] <= pos && pos < sp->ends[lo - 1];
}

/* The state of one call of index_words, released by index_state_free. */
typedef struct {
    Spans quotes;
    Py_UCS4 *glue;
    PyObject *seq;     /* the sentences, as a fast sequence */
    PyObject *cols;    /* the current sentence's word columns */
    PyObject *ph;      /* its placeholder indices, as a fast sequence */
    PyObject *heading; /* its paragraph's kind == "heading" */
    PyObject *prev_key;
    char *keep;
} IndexState;

static void
index_state_free(IndexState *st)
{
    spans_free(&st->quotes);
    PyMem_Free(st->glue);
    PyMem_Free(st->keep);
    Py_XDECREF(st->seq);
    Py_XDECREF(st->cols);
    Py_XDECREF(st->ph);
    Py_XDECREF(st->heading);
    Py_XDECREF(st->prev_key);
}

/* One word's occurrence, appended to words (and to keyed, unigram_keys, forms). */
static int
add_word(PyObject *o, PyObject *key, PyObject *form, int named, int quoted, PyObject *words, PyObject *keyed,
         PyObject *unigram_keys, PyObject *forms)
{
    if (PyList_Append(words, o) < 0 || PySet_Add(unigram_keys, key) < 0 || PySet_Add(forms, form) < 0)
        return -1;
    if (named && !quoted) {
        PyObject *same = PyDict_GetItemWithError(keyed, key);
        if (same == NULL) {
            if (PyErr_Occurred())
                return -1;
            PyObject *lst = PyList_New(1);
            if (lst == NULL)
                return -1;
            Py_INCREF(o);
            PyList_SET_ITEM(lst, 0, o);
            int r = PyDict_SetItem(keyed, key, lst);
            Py_DECREF(lst);
            return r;
        }
        if (!PyList_Check(same)) {
            PyErr_SetString(PyExc_TypeError, "keyed values must be lists");
            return -1;
        }
        return PyList_Append(same, o);
    }
    return 0;
}

PyDoc_STRVAR(index_words_doc,
"index_words(sentences, paragraphs, prose, quotes, glue, memo, facts, words, keyed, title_keys,\n"
"            unigram_keys, forms) -> None\n\n"
"units._index_words in C (same arguments, same result): for every word of every sentence\n"
"(its word_columns(), placeholders left out) append its Occ tuple to the list words, to\n"
"keyed[key] when it may name something and is not quoted, its key to the set unigram_keys\n"
"and its spelling to the set forms, and the keys of trusted Title Case pairs to the set\n"
"title_keys. A word's facts are memo[text], or facts(text) when it is not there (facts\n"
"memoises them itself). quotes: sorted (start, end) quotation spans; glue: the glue\n"
"characters (a word next to one is quoted).");

static PyObject *
index_words(PyObject *self, PyObject *args)
{
    PyObject *sentences, *paragraphs, *prose, *quotes, *glue_s, *memo, *facts_fn;
    PyObject *words, *keyed, *title_keys, *unigram_keys, *forms;
    if (!PyArg_ParseTuple(args, "OO!UO!UO!OO!O!O!O!O!:index_words", &sentences, &PyList_Type, &paragraphs, &prose,
                          &PyList_Type, &quotes, &glue_s, &PyDict_Type, &memo, &facts_fn, &PyList_Type, &words,
                          &PyDict_Type, &keyed, &PySet_Type, &title_keys, &PySet_Type, &unigram_keys,
                          &PySet_Type, &forms))
        return NULL;
    IndexState st;
    memset(&st, 0, sizeof st);
    Text pt;
    text_of(prose, &pt);
    Py_ssize_t n_glue = PyUnicode_GET_LENGTH(glue_s);
    st.glue = PyUnicode_AsUCS4Copy(glue_s);
    if (st.glue == NULL)
        goto error;
    if (spans_from(quotes, &st.quotes) < 0)
        goto error;
    st.seq = PySequence_Fast(sentences, "sentences must be a sequence");
    if (st.seq == NULL)
        goto error;
    int have_paragraphs = PyList_GET_SIZE(paragraphs) > 0;
    int have_last = 0; /* st.heading is that of paragraph last_par (an int index) */
    Py_ssize_t last_par = 0;
    Py_ssize_t n_sent = PySequence_Fast_GET_SIZE(st.seq);
    for (Py_ssize_t si = 0; si < n_sent; si++) {
        PyObject *s = PySequence_Fast_GET_ITEM(st.seq, si);
        Py_CLEAR(st.cols);
        st.cols = PyObject_CallMethodNoArgs(s, s_word_columns);
        if (st.cols == NULL)
            goto error;
        if (!PyTuple_Check(st.cols) || PyTuple_GET_SIZE(st.cols) != 4) {
            PyErr_SetString(PyExc_TypeError, "word_columns() must give a 4-tuple");
            goto error;
        }
        PyObject *starts = PyTuple_GET_ITEM(st.cols, 0), *ends = PyTuple_GET_ITEM(st.cols, 1);
        PyObject *texts = PyTuple_GET_ITEM(st.cols, 2);
        if (!PyList_Check(starts) || !PyList_Check(ends) || !PyList_Check(texts)) {
            PyErr_SetString(PyExc_TypeError, "word columns must be lists");
            goto error;
        }
        Py_ssize_t n_starts = PyList_GET_SIZE(starts);
        if (n_starts == 0)
            continue;
        /* heading = paragraphs[s.paragraph].kind == "heading" if paragraphs else False
           (looked up again only when the paragraph index changes) */
        if (!have_paragraphs) {
            if (st.heading == NULL) {
                Py_INCREF(Py_False);
                st.heading = Py_False;
            }
        }
        else {
            PyObject *par = PyObject_GetAttr(s, s_paragraph);
            if (par == NULL)
                goto error;
            int cacheable = 0;
            Py_ssize_t pi = -1;
            if (PyLong_CheckExact(par)) {
                pi = PyLong_AsSsize_t(par);
                if (pi == -1 && PyErr_Occurred())
                    PyErr_Clear(); /* a huge index: looked up below, as Python does */
                else
                    cacheable = 1;
            }
            if (!(cacheable && have_last && pi == last_par)) {
                PyObject *p = PyObject_GetItem(paragraphs, par);
                if (p == NULL) {
                    Py_DECREF(par);
                    goto error;
                }
                PyObject *kind = PyObject_GetAttr(p, s_kind);
                Py_DECREF(p);
                if (kind == NULL) {
                    Py_DECREF(par);
                    goto error;
                }
                Py_XSETREF(st.heading, PyObject_RichCompare(kind, s_heading, Py_EQ));
                Py_DECREF(kind);
                if (st.heading == NULL) {
                    Py_DECREF(par);
                    goto error;
                }
            }
            Py_DECREF(par);
            have_last = cacheable;
            last_par = pi;
        }
        int heading = truth(st.heading);
        if (heading < 0)
            goto error;
        Py_ssize_t n = n_starts;
        if (PyList_GET_SIZE(ends) < n)
            n = PyList_GET_SIZE(ends);
        if (PyList_GET_SIZE(texts) < n)
            n = PyList_GET_SIZE(texts);
        /* placeholders: keep[i] is 0 for a placeholder word */
        int first = 1;
        Py_CLEAR(st.ph);
        PyMem_Free(st.keep);
        st.keep = NULL;
        st.ph = PySequence_Fast(PyTuple_GET_ITEM(st.cols, 3), "placeholders must be a sequence");
        if (st.ph == NULL)
            goto error;
        Py_ssize_t n_ph = PySequence_Fast_GET_SIZE(st.ph);
        if (n_ph > 0) {
            int r = PyObject_RichCompareBool(PySequence_Fast_GET_ITEM(st.ph, 0), int_0, Py_NE);
            if (r < 0)
                goto error;
            first = r;
            st.keep = PyMem_Malloc((size_t)n_starts);
            if (st.keep == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            memset(st.keep, 1, (size_t)n_starts);
            for (Py_ssize_t k = 0; k < n_ph; k++) {
                PyObject *io = PySequence_Fast_GET_ITEM(st.ph, k);
                if (!PyIndex_Check(io)) {
                    PyErr_SetString(PyExc_TypeError, "list indices must be integers or slices");
                    goto error;
                }
                Py_ssize_t i = PyNumber_AsSsize_t(io, PyExc_IndexError);
                if (i == -1 && PyErr_Occurred())
                    goto error;
                if (i < 0)
                    i += n_starts;
                if (i < 0 || i >= n_starts) {
                    PyErr_SetString(PyExc_IndexError, "list assignment index out of range");
                    goto error;
                }
                st.keep[i] = 0;
            }
        }
        Py_ssize_t prev_end = -2;
        int prev_title = 0;
        Py_CLEAR(st.prev_key);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (st.keep != NULL && !st.keep[i])
                continue;
            PyObject *start_o = PyList_GET_ITEM(starts, i), *end_o = PyList_GET_ITEM(ends, i);
            PyObject *text = PyList_GET_ITEM(texts, i);
            Py_ssize_t start, end;
            if (as_index(start_o, &start) < 0 || as_index(end_o, &end) < 0)
                goto error;
            int quoted = (start >= 1 && is_glue_at(&pt, start - 1, st.glue, n_glue)) ||
                         is_glue_at(&pt, end, st.glue, n_glue) ||
                         (st.quotes.n > 0 && in_spans(&st.quotes, start));
            PyObject *facts = PyDict_GetItemWithError(memo, text);
            if (facts != NULL) {
                Py_INCREF(facts);
            }
            else {
                if (PyErr_Occurred())
                    goto error;
                facts = PyObject_CallOneArg(facts_fn, text);
                if (facts == NULL)
                    goto error;
            }
            if (!PyTuple_Check(facts) || PyTuple_GET_SIZE(facts) != 6) {
                Py_DECREF(facts);
                PyErr_SetString(PyExc_TypeError, "word facts must be 6-tuples");
                goto error;
            }
            PyObject *form = PyTuple_GET_ITEM(facts, 0), *key = PyTuple_GET_ITEM(facts, 2);
            PyObject *caps = PyTuple_GET_ITEM(facts, 3);
            Py_ssize_t cut;
            int title = truth(PyTuple_GET_ITEM(facts, 4));
            int named = title < 0 ? -1 : truth(PyTuple_GET_ITEM(facts, 5));
            if (named < 0 || as_index(PyTuple_GET_ITEM(facts, 1), &cut) < 0) {
                Py_DECREF(facts);
                goto error;
            }
            /* A run continues over exactly one space; a possessive (prev_end) ends it. */
            int joined = 0;
            if (prev_end == start - 1) {
                joined = char_is(&pt, prev_end, ' ');
                if (joined < 0) {
                    Py_DECREF(facts);
                    goto error;
                }
            }
            if (joined && prev_title && title && !heading) {
                PyObject *tk = PyNumber_Add(st.prev_key, key);
                if (tk == NULL || PySet_Add(title_keys, tk) < 0) {
                    Py_XDECREF(tk);
                    Py_DECREF(facts);
                    goto error;
                }
                Py_DECREF(tk);
            }
            PyObject *wend_o;
            if (cut) {
                end -= cut;
                wend_o = PyLong_FromSsize_t(end);
                if (wend_o == NULL) {
                    Py_DECREF(facts);
                    goto error;
                }
            }
            else {
                Py_INCREF(end_o);
                wend_o = end_o;
            }
            /* (start, end, form, key, initial, heading, caps, quoted, n, joined) */
            PyObject *o = PyTuple_Pack(10, start_o, wend_o, form, key, first ? Py_True : Py_False, st.heading,
                                       caps, quoted ? Py_True : Py_False, int_1, joined ? Py_True : Py_False);
            if (o == NULL) {
                Py_DECREF(wend_o);
                Py_DECREF(facts);
                goto error;
            }
            /* Atoms only (ints, strs, bools): the tuple can be in no reference cycle, so the
               garbage collector need not track it (it would find that out itself). */
            if (PyLong_CheckExact(start_o) && PyLong_CheckExact(wend_o) && PyUnicode_CheckExact(form) &&
                PyUnicode_CheckExact(key) && PyBool_Check(caps) && PyBool_Check(st.heading))
                PyObject_GC_UnTrack(o);
            Py_DECREF(wend_o);  /* (the tuple holds it) */
            int r = add_word(o, key, form, named, quoted, words, keyed, unigram_keys, forms);
            Py_DECREF(o);
            if (r < 0) {
                Py_DECREF(facts);
                goto error;
            }
            first = 0;
            prev_end = end;
            prev_title = title;
            Py_INCREF(key);
            Py_XSETREF(st.prev_key, key);
            Py_DECREF(facts);
        }
    }
    index_state_free(&st);
    Py_RETURN_NONE;
error:
    index_state_free(&st);
    return NULL;
}

/* An occurrence read from the list words: a 10-tuple. */
static PyObject *
occ_at(PyObject *words, Py_ssize_t i)
{
    PyObject *o = PyList_GET_ITEM(words, i);
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != 10) {
        PyErr_SetString(PyExc_TypeError, "occurrences must be 10-tuples");
        return NULL;
    }
    return o;
}

enum { START, END, FORM, KEY, INITIAL, HEADING, CAPS, QUOTED, N, JOINED };

static int
contains(PyObject *set, PyObject *key)
{
    return PyAnySet_Check(set) ? PySet_Contains(set, key) : PySequence_Contains(set, key);
}

/* Is form.lower() a stop word? -1 on error. */
static int
is_stop(PyObject *form, PyObject *stop)
{
    PyObject *low = PyObject_CallMethodNoArgs(form, s_lower);
    if (low == NULL)
        return -1;
    int r = contains(stop, low);
    Py_DECREF(low);
    return r;
}

/* Append the sequence a .. z (n words, key, caps) to grams. */
static int
add_gram(PyObject *grams, PyObject *prose, PyObject *a, PyObject *z, PyObject *key, PyObject *caps, Py_ssize_t n)
{
    PyObject *start = PyTuple_GET_ITEM(a, START), *end = PyTuple_GET_ITEM(z, END);
    Py_ssize_t s, e;
    if (as_index(start, &s) < 0 || as_index(end, &e) < 0)
        return -1;
    PyObject *text = PySequence_GetSlice(prose, s, e);
    if (text == NULL)
        return -1;
    PyObject *nn = PyLong_FromSsize_t(n);
    if (nn == NULL) {
        Py_DECREF(text);
        return -1;
    }
    PyObject *g = PyTuple_Pack(10, start, end, text, key, PyTuple_GET_ITEM(a, INITIAL), PyTuple_GET_ITEM(a, HEADING),
                               caps, PyTuple_GET_ITEM(a, QUOTED), nn, Py_False);
    Py_DECREF(text);
    Py_DECREF(nn);
    if (g == NULL)
        return -1;
    int r = PyList_Append(grams, g);
    Py_DECREF(g);
    return r;
}

/* a[CAPS] or b[CAPS] (borrowed); NULL on error. */
static PyObject *
caps_or(PyObject *a, PyObject *b)
{
    int t = truth(a);
    if (t < 0)
        return NULL;
    return t ? a : b;
}

/* A filter of the keys a pair's joined key must be one of (the set known): a bit per
   signature (the length and the first two and last two characters) of each of them. A
   pair whose joined key has a signature without its bit is not in known, found without
   joining the keys (most pairs); one with it is looked up. */
#define SIG_BITS 16
#define SIG_WORDS ((1 << SIG_BITS) / 64)

typedef struct {
    int on; /* 0: no filter (a key of known is not a str) */
    uint64_t bits[SIG_WORDS];
} Filter;

/* The signature of the string a + b (b may be empty: la + 0 characters). */
static uint32_t
signature(const Text *a, const Text *b)
{
    Py_ssize_t la = a->len, n = la + b->len;
    if (n == 0)
        return 0;
    Py_ssize_t pos[4] = {0, n > 1 ? 1 : 0, n > 1 ? n - 2 : 0, n - 1};
    uint64_t h = (uint64_t)n;
    for (int k = 0; k < 4; k++) {
        Py_ssize_t j = pos[k];
        Py_UCS4 c = j < la ? PyUnicode_READ(a->kind, a->data, j) : PyUnicode_READ(b->kind, b->data, j - la);
        h = h * 1000003u + c;
    }
    h *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> (64 - SIG_BITS));
}

static int
filter_has(const Filter *f, uint32_t sig)
{
    return (f->bits[sig >> 6] >> (sig & 63)) & 1;
}

/* Fill f from the keys of known. -1 on error. */
static int
filter_from(Filter *f, PyObject *known)
{
    static const Text empty = {PyUnicode_1BYTE_KIND, "", 0};
    memset(f->bits, 0, sizeof f->bits);
    f->on = 0;
    PyObject *it = PyObject_GetIter(known);
    if (it == NULL)
        return -1;
    PyObject *k;
    int on = 1;
    while ((k = PyIter_Next(it)) != NULL) {
        if (on && PyUnicode_CheckExact(k)) {
            Text t;
            text_of(k, &t);
            uint32_t sig = signature(&t, &empty);
            f->bits[sig >> 6] |= (uint64_t)1 << (sig & 63);
        }
        else
            on = 0;
        Py_DECREF(k);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return -1;
    f->on = on;
    return 0;
}

/* May the joined key of keys a and b be in known? 0 only when it cannot. */
static int
may_be_known(const Filter *f, PyObject *a, PyObject *b)
{
    if (!f->on || !PyUnicode_CheckExact(a) || !PyUnicode_CheckExact(b))
        return 1;
    Text ta, tb;
    text_of(a, &ta);
    text_of(b, &tb);
    return filter_has(f, signature(&ta, &tb));
}

PyDoc_STRVAR(pairs_doc,
"pairs(words, known, term_keys, stop, prose, max_words, grams) -> None\n\n"
"units._pairs in C (same arguments, same result): append to the list grams, in order, each\n"
"run of two words of words (the second JOINED) whose joined key is in known, kept when the\n"
"key is in term_keys or neither word's FORM.lower() is in stop, and each run of 3 up to\n"
"max_words words whose key is in term_keys.");

static PyObject *pairs_filtered(PyObject *words, PyObject *known, PyObject *term_keys, PyObject *stop,
                                PyObject *prose, Py_ssize_t n_max, PyObject *grams, const Filter *filter);

static PyObject *
pairs(PyObject *self, PyObject *args)
{
    PyObject *words, *known, *term_keys, *stop, *prose, *grams;
    Py_ssize_t max_words;
    if (!PyArg_ParseTuple(args, "O!OOOUnO!:pairs", &PyList_Type, &words, &known, &term_keys, &stop, &prose,
                          &max_words, &PyList_Type, &grams))
        return NULL;
    Py_ssize_t n_max = max_words > 2 ? max_words : 2;
    Filter *filter = PyMem_Malloc(sizeof(Filter));
    if (filter == NULL)
        return PyErr_NoMemory();
    if (filter_from(filter, known) < 0) {
        PyMem_Free(filter);
        return NULL;
    }
    PyObject *res = pairs_filtered(words, known, term_keys, stop, prose, n_max, grams, filter);
    PyMem_Free(filter);
    return res;
}

static PyObject *
pairs_filtered(PyObject *words, PyObject *known, PyObject *term_keys, PyObject *stop, PyObject *prose,
               Py_ssize_t n_max, PyObject *grams, const Filter *filter)
{
    for (Py_ssize_t i = 1; i < PyList_GET_SIZE(words); i++) {
        PyObject *b = occ_at(words, i);
        if (b == NULL)
            return NULL;
        int joined = truth(PyTuple_GET_ITEM(b, JOINED));
        if (joined <= 0) {
            if (joined < 0)
                return NULL;
            continue;
        }
        PyObject *a = occ_at(words, i - 1);
        if (a == NULL)
            return NULL;
        int maybe = may_be_known(filter, PyTuple_GET_ITEM(a, KEY), PyTuple_GET_ITEM(b, KEY));
        if (!maybe && n_max == 2)
            continue; /* not in known, and no longer sequence follows */
        PyObject *key = PyNumber_Add(PyTuple_GET_ITEM(a, KEY), PyTuple_GET_ITEM(b, KEY));
        if (key == NULL)
            return NULL;
        int r = maybe ? contains(known, key) : 0;
        if (r > 0) {
            /* kept if a house term, or without a stop word */
            r = contains(term_keys, key);
            if (r == 0) {
                int sa = is_stop(PyTuple_GET_ITEM(a, FORM), stop);
                if (sa == 0) {
                    int sb = is_stop(PyTuple_GET_ITEM(b, FORM), stop);
                    r = sb < 0 ? -1 : !sb;
                }
                else
                    r = sa < 0 ? -1 : 0;
            }
            if (r > 0) {
                PyObject *caps = caps_or(PyTuple_GET_ITEM(a, CAPS), PyTuple_GET_ITEM(b, CAPS));
                r = caps == NULL ? -1 : add_gram(grams, prose, a, b, key, caps, 2);
            }
        }
        if (r < 0) {
            Py_DECREF(key);
            return NULL;
        }
        /* Longer sequences (house terms of three words) follow the run on. */
        if (n_max > 2) {
            PyObject *caps = caps_or(PyTuple_GET_ITEM(a, CAPS), PyTuple_GET_ITEM(b, CAPS));
            if (caps == NULL) {
                Py_DECREF(key);
                return NULL;
            }
            for (Py_ssize_t n = 3; n <= n_max; n++) {
                Py_ssize_t k = i + n - 2;
                if (k >= PyList_GET_SIZE(words))
                    break;
                PyObject *z = occ_at(words, k);
                if (z == NULL) {
                    Py_DECREF(key);
                    return NULL;
                }
                int zj = truth(PyTuple_GET_ITEM(z, JOINED));
                if (zj <= 0) {
                    if (zj < 0) {
                        Py_DECREF(key);
                        return NULL;
                    }
                    break;
                }
                Py_SETREF(key, PyNumber_Add(key, PyTuple_GET_ITEM(z, KEY)));
                if (key == NULL)
                    return NULL;
                caps = caps_or(caps, PyTuple_GET_ITEM(z, CAPS));
                if (caps == NULL) {
                    Py_DECREF(key);
                    return NULL;
                }
                r = contains(term_keys, key);
                if (r > 0)
                    r = add_gram(grams, prose, a, z, key, caps, n);
                if (r < 0) {
                    Py_DECREF(key);
                    return NULL;
                }
            }
        }
        Py_DECREF(key);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"index_words", index_words, METH_VARARGS, index_words_doc},
    {"pairs", pairs, METH_VARARGS, pairs_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "units",
    "The consistency family's word index in C: see lintkit/families/consistency/units.py.", -1, methods,
};

PyMODINIT_FUNC
PyInit_units(void)
{
    if (s_word_columns == NULL) {
        s_word_columns = PyUnicode_InternFromString("word_columns");
        s_paragraph = PyUnicode_InternFromString("paragraph");
        s_kind = PyUnicode_InternFromString("kind");
        s_heading = PyUnicode_InternFromString("heading");
        s_lower = PyUnicode_InternFromString("lower");
        int_0 = PyLong_FromLong(0);
        int_1 = PyLong_FromLong(1);
        if (!s_word_columns || !s_paragraph || !s_kind || !s_heading || !s_lower || !int_0 || !int_1)
            return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
