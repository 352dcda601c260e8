/* Compiled speed-ups of the document model (lintkit/document/), each called once per
 * document:
 *   markdown_events  the event loop of readers.read_markdown (projection, offset map, blocks)
 *   paragraphs       segment.build_paragraphs (sentence candidates and breaks, objects)
 *   find_words       the loop of model._find_words (every ASCII sentence's word columns)
 * See each function's docstring for the pure-Python code it replaces; both must give the
 * same result (tests/test_c_document.py compares them). Where the Python code would raise
 * (an index out of range, a malformed event) this code raises too; inputs of the wrong
 * type raise TypeError. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

static PyObject *s_start, *s_end, *s_text, *s_placeholders, *s_columns;

/* A growable array of Py_ssize_t (PyMem), reused across the sentences of one call. */
typedef struct {
    Py_ssize_t *v;
    Py_ssize_t n, cap;
} ibuf;

static int
ibuf_push2(ibuf *b, Py_ssize_t x, Py_ssize_t y)
{
    if (b->n + 2 > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + 2) {
            if (cap > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)sizeof(Py_ssize_t)) {
                PyErr_NoMemory();
                return -1;
            }
            cap *= 2;
        }
        Py_ssize_t *v = PyMem_Realloc(b->v, (size_t)cap * sizeof(Py_ssize_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = x;
    b->v[b->n++] = y;
    return 0;
}

static inline int
is_alnum(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline int
is_sep(Py_UCS4 c)
{
    return c == '\'' || c == '.' || c == ',' || c == '-';
}

/* The words of an ASCII text as model._ASCII_SPLIT finds them:
 * [A-Za-z0-9]++(?:['.,\-][A-Za-z0-9]++)*+ ; (start, end) pairs appended to ``out``. */
static int
scan_ascii_words(const Py_UCS1 *t, Py_ssize_t n, ibuf *out)
{
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_alnum(t[i])) {
            i++;
            continue;
        }
        Py_ssize_t ws = i;
        while (i < n && is_alnum(t[i]))
            i++;
        while (i + 1 < n && is_sep(t[i]) && is_alnum(t[i + 1])) {
            i += 2;
            while (i < n && is_alnum(t[i]))
                i++;
        }
        if (ibuf_push2(out, ws, i) < 0)
            return -1;
    }
    return 0;
}

/* First index i of the list ``a`` of ints with a[i] > x (right) or a[i] >= x (left). */
static Py_ssize_t
bisect_list(PyObject *a, Py_ssize_t x, int right)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(a);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t v = PyLong_AsSsize_t(PyList_GET_ITEM(a, mid));
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (right ? x < v : x <= v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* First index i of the sorted values ``a[0], a[stride], a[2 * stride], ...`` (n values)
   with a[i * stride] > x (right) or >= x (left): bisect.bisect_right / bisect_left. */
static Py_ssize_t
bisect_arr(const Py_ssize_t *a, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t x, int right)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t v = a[stride * mid];
        if (right ? x < v : x <= v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* First index j of the word starts ``w[0], w[2], ...`` (k words) with w[2j] >= x. */
#define bisect_words(w, k, x) bisect_arr((w), (k), 2, (x), 0)

/* model._placeholder_indices for the k words of ``w`` (offsets already shifted to the
 * projection), the span [start, end) and the placeholder spans (starts, ends). */
static PyObject *
placeholder_indices(const Py_ssize_t *w, Py_ssize_t k, Py_ssize_t start, Py_ssize_t end,
                    PyObject *starts, PyObject *ends)
{
    Py_ssize_t i = bisect_list(ends, start, 1);
    if (i < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(starts);
    if (PyList_GET_SIZE(ends) < n)
        n = PyList_GET_SIZE(ends);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (; i < n; i++) {
        Py_ssize_t a = PyLong_AsSsize_t(PyList_GET_ITEM(starts, i));
        if (a == -1 && PyErr_Occurred())
            goto fail;
        if (a >= end)
            break;
        Py_ssize_t z = PyLong_AsSsize_t(PyList_GET_ITEM(ends, i));
        if (z == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t lo = bisect_words(w, k, a), hi = bisect_words(w, k, z);
        for (Py_ssize_t j = lo; j < hi; j++) {
            PyObject *x = PyLong_FromSsize_t(j);
            if (x == NULL)
                goto fail;
            int r = PyList_Append(out, x);
            Py_DECREF(x);
            if (r < 0)
                goto fail;
        }
    }
    PyObject *t = PyList_AsTuple(out);
    Py_DECREF(out);
    return t;
fail:
    Py_DECREF(out);
    return NULL;
}

/* The WordColumns (a tuple subclass ``type``) of the sentence ``s`` whose text ``text``
 * is ASCII and starts at ``start``; words found into ``buf``. */
static PyObject *
sentence_columns(PyObject *type, PyObject *s, PyObject *text, Py_ssize_t start, ibuf *buf, PyObject *seen)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    buf->n = 0;
    if (scan_ascii_words(PyUnicode_1BYTE_DATA(text), n, buf) < 0)
        return NULL;
    Py_ssize_t k = buf->n / 2;
    PyObject *starts = PyList_New(k), *ends = PyList_New(k), *texts = PyList_New(k);
    PyObject *ph = NULL, *fields = NULL, *args = NULL, *res = NULL;
    if (starts == NULL || ends == NULL || texts == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < k; j++) {
        Py_ssize_t a = buf->v[2 * j], z = buf->v[2 * j + 1];
        PyObject *x = PyLong_FromSsize_t(start + a);
        if (x == NULL)
            goto done;
        PyList_SET_ITEM(starts, j, x);
        x = PyLong_FromSsize_t(start + z);
        if (x == NULL)
            goto done;
        PyList_SET_ITEM(ends, j, x);
        x = PyUnicode_Substring(text, a, z);
        if (x == NULL)
            goto done;
        /* one str object per spelling of the document: find_words' ``seen`` */
        PyObject *y = PyDict_SetDefault(seen, x, x);
        if (y == NULL) {
            Py_DECREF(x);
            goto done;
        }
        Py_INCREF(y);
        Py_DECREF(x);
        PyList_SET_ITEM(texts, j, y);
    }
    if (k) {
        PyObject *spans = PyObject_GetAttr(s, s_placeholders);
        if (spans == NULL)
            goto done;
        if (spans != Py_None) {
            if (!PyTuple_Check(spans) || PyTuple_GET_SIZE(spans) != 2 || !PyList_Check(PyTuple_GET_ITEM(spans, 0))
                || !PyList_Check(PyTuple_GET_ITEM(spans, 1))) {
                Py_DECREF(spans);
                PyErr_SetString(PyExc_TypeError, "Sentence.placeholders must be a tuple of two lists or None");
                goto done;
            }
            PyObject *o = PyObject_GetAttr(s, s_end);
            Py_ssize_t end = -1;
            if (o != NULL) {
                end = PyLong_AsSsize_t(o); /* (TypeError when it is not an int) */
                Py_DECREF(o);
            }
            if (end == -1 && PyErr_Occurred()) {
                Py_DECREF(spans);
                goto done;
            }
            for (Py_ssize_t j = 0; j < k; j++) /* the words' projection offsets */
                buf->v[2 * j] += start;
            ph = placeholder_indices(buf->v, k, start, end, PyTuple_GET_ITEM(spans, 0),
                                     PyTuple_GET_ITEM(spans, 1));
        }
        Py_DECREF(spans);
        if (PyErr_Occurred())
            goto done;
    }
    if (ph == NULL)
        ph = PyTuple_New(0);
    if (ph == NULL)
        goto done;
    fields = PyTuple_Pack(4, starts, ends, texts, ph);
    if (fields == NULL)
        goto done;
    args = PyTuple_Pack(1, fields);
    if (args == NULL)
        goto done;
    res = PyTuple_Type.tp_new((PyTypeObject *)type, args, NULL);
done:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(texts);
    Py_XDECREF(ph);
    Py_XDECREF(fields);
    Py_XDECREF(args);
    return res;
}

static PyObject *
find_words(PyObject *module, PyObject *args)
{
    PyObject *sentences, *type;
    if (!PyArg_ParseTuple(args, "O!O!:find_words", &PyList_Type, &sentences, &PyType_Type, &type))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "find_words: the columns type must be a tuple subclass");
        return NULL;
    }
    PyObject *rest = PyList_New(0);
    if (rest == NULL)
        return NULL;
    PyObject *seen = PyDict_New();
    if (seen == NULL) {
        Py_DECREF(rest);
        return NULL;
    }
    ibuf buf = {NULL, 0, 0};
    /* (the list may change size if a property runs code: read its length each time) */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sentences); i++) {
        PyObject *s = PyList_GET_ITEM(sentences, i);
        Py_INCREF(s);
        PyObject *text = PyObject_GetAttr(s, s_text);
        PyObject *cols = NULL;
        int alone = 0;
        if (text == NULL)
            goto fail_s;
        if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text)) {
            alone = 1;
        } else {
            PyObject *o = PyObject_GetAttr(s, s_start);
            if (o == NULL)
                goto fail_s;
            int is_int = PyLong_Check(o);
            Py_ssize_t start = is_int ? PyLong_AsSsize_t(o) : -1;
            Py_DECREF(o);
            if (start == -1 && PyErr_Occurred())
                goto fail_s;
            if (!is_int || start < 0) {
                alone = 1;
            } else {
                cols = sentence_columns(type, s, text, start, &buf, seen);
                if (cols == NULL || PyObject_SetAttr(s, s_columns, cols) < 0)
                    goto fail_s;
            }
        }
        if (alone && PyList_Append(rest, s) < 0)
            goto fail_s;
        Py_XDECREF(cols);
        Py_DECREF(text);
        Py_DECREF(s);
        continue;
    fail_s:
        Py_XDECREF(cols);
        Py_XDECREF(text);
        Py_DECREF(s);
        PyMem_Free(buf.v);
        Py_DECREF(seen);
        Py_DECREF(rest);
        return NULL;
    }
    PyMem_Free(buf.v);
    Py_DECREF(seen);
    return rest;
}


/* ---------------------------------------------------------------------------------- */
/* The Markdown reader's event loop (readers.read_markdown).                            */

static PyObject *s_Text, *s_Start, *s_End, *s_Code, *s_InlineHtml, *s_rstart, *s_rend, *s_doi, *s_crlf,
    *s_nl, *s_nlnl, *s_length, *s_block_start, *s_block_kind;

#define NO_END ((Py_ssize_t)1 << 62) /* readers._NO_END */

/* A C array of the ints of a list (PyMem; NULL and n = 0 for an empty list). */
static int
int_array(PyObject *list, Py_ssize_t **out, Py_ssize_t *n)
{
    *out = NULL;
    *n = 0;
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of ints");
        return -1;
    }
    Py_ssize_t k = PyList_GET_SIZE(list);
    if (k == 0)
        return 0;
    Py_ssize_t *v = PyMem_New(Py_ssize_t, k);
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        v[i] = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (v[i] == -1 && PyErr_Occurred()) {
            PyMem_Free(v);
            return -1;
        }
    }
    *out = v;
    *n = k;
    return 0;
}

/* First index i with a[i] > x, and with a[i] >= x. */
#define bisect_right_arr(a, n, x) bisect_arr((a), (n), 1, (x), 1)
#define bisect_left_arr(a, n, x) bisect_arr((a), (n), 1, (x), 0)

typedef struct {
    PyObject *text;  /* the source (ProjectionBuilder.source) */
    PyObject *ntext; /* the parser's text with LF newlines (readers._Norm.text) */
    PyObject *ptext; /* the text parsed (readers._Chars.text) */
    int nkind;
    const void *ndata;
    Py_ssize_t nlen;
    Py_ssize_t *npos, nnpos;                     /* _Norm.npos */
    Py_ssize_t *rbs, *rcs, *rbl, *rcl, nruns;   /* _Chars.runs, by column */
    Py_ssize_t lo, hi, shift;                    /* char_at's stretch */
    Py_ssize_t *lit_s, *lit_e, nlit;             /* _UrlLiterals starts, ends */
    Py_ssize_t *lines, nlines;                   /* LineIndex(ntext).starts */
    PyObject *url_spans;                         /* (start, end) -> [(s, e), ...] of URL */
    /* the ProjectionBuilder */
    PyObject *parts, *op, *os, *olen, *okind, *oslen, *blocks, *placeholders;
    Py_ssize_t length;
    int has_block;
    Py_ssize_t block_start;
    PyObject *block_kind; /* strong */
    /* the last offset run, not in the lists yet (COPY runs merge into it) */
    int has_run;
    Py_ssize_t rp, rs, rlen, rkind, rslen;
    Py_ssize_t phn; /* the next placeholder's number */
} reader;

/* readers._Chars.__call__ */
static Py_ssize_t
chars_call(reader *R, Py_ssize_t b)
{
    if (R->nruns == 0)
        return b;
    Py_ssize_t i = bisect_right_arr(R->rbs, R->nruns, b) - 1;
    if (i < 0)
        return b;
    Py_ssize_t bs = R->rbs[i], cs = R->rcs[i], blen = R->rbl[i], clen = R->rcl[i];
    if (b >= bs + blen)
        return cs + clen + (b - bs - blen);
    /* the characters of the run whose UTF-8 fits in the first b - bs bytes */
    int kind = PyUnicode_KIND(R->ptext);
    const void *data = PyUnicode_DATA(R->ptext);
    Py_ssize_t plen = PyUnicode_GET_LENGTH(R->ptext);
    Py_ssize_t left = b - bs, k = 0;
    while (k < clen && cs + k < plen) {
        Py_UCS4 c = PyUnicode_READ(kind, data, cs + k);
        Py_ssize_t w = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (w > left)
            break;
        left -= w;
        k++;
    }
    return cs + k;
}

/* readers._Chars.stretch into R->lo, hi, shift */
static void
chars_stretch(reader *R, Py_ssize_t b)
{
    Py_ssize_t i = bisect_right_arr(R->rbs, R->nruns, b) - 1;
    if (i < 0) {
        R->lo = 0;
        R->hi = R->nruns ? R->rbs[0] + 1 : NO_END;
        R->shift = 0;
        return;
    }
    Py_ssize_t bs = R->rbs[i], blen = R->rbl[i];
    if (b < bs + blen) {
        R->lo = b;
        R->hi = b + 1;
        R->shift = b - chars_call(R, b);
        return;
    }
    Py_ssize_t end = bs + blen;
    R->lo = end;
    R->hi = i + 1 < R->nruns ? R->rbs[i + 1] + 1 : NO_END;
    R->shift = end - R->rcs[i] - R->rcl[i];
}

/* read_markdown's char_at */
static inline Py_ssize_t
char_at(reader *R, Py_ssize_t b)
{
    if (!(R->lo <= b && b < R->hi))
        chars_stretch(R, b);
    return b - R->shift;
}

/* _Norm.src */
static inline Py_ssize_t
src(reader *R, Py_ssize_t i)
{
    return R->nnpos ? i + bisect_right_arr(R->npos, R->nnpos, i - 1) : i;
}

/* ntext[i] (IndexError outside, as the Python code would raise) */
static int
nchar(reader *R, Py_ssize_t i, Py_UCS4 *c)
{
    if (i < 0 || i >= R->nlen) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    *c = PyUnicode_READ(R->nkind, R->ndata, i);
    return 0;
}

static int
append_int(PyObject *list, Py_ssize_t v)
{
    PyObject *x = PyLong_FromSsize_t(v);
    if (x == NULL)
        return -1;
    int r = PyList_Append(list, x);
    Py_DECREF(x);
    return r;
}

/* Put the pending offset run into the OffsetMap's lists. */
static int
put_run(reader *R)
{
    if (!R->has_run)
        return 0;
    R->has_run = 0;
    if (append_int(R->op, R->rp) < 0 || append_int(R->os, R->rs) < 0 || append_int(R->olen, R->rlen) < 0
        || append_int(R->okind, R->rkind) < 0 || append_int(R->oslen, R->rslen) < 0)
        return -1;
    return 0;
}

/* ProjectionBuilder.copy */
static int
b_copy(reader *R, Py_ssize_t sstart, Py_ssize_t send)
{
    Py_ssize_t n = send - sstart;
    if (n <= 0)
        return 0;
    Py_ssize_t p = R->length;
    if (R->has_run && R->rkind == 0 && R->rp + R->rlen == p && R->rs + R->rlen == sstart) {
        R->rlen += n;
        R->rslen += n;
    } else {
        if (put_run(R) < 0)
            return -1;
        R->has_run = 1;
        R->rp = p;
        R->rs = sstart;
        R->rlen = n;
        R->rkind = 0;
        R->rslen = n;
    }
    PyObject *part = PyUnicode_Substring(R->text, sstart, send);
    if (part == NULL)
        return -1;
    int r = PyList_Append(R->parts, part);
    Py_DECREF(part);
    R->length = p + n;
    return r;
}

/* ProjectionBuilder.replace */
static int
b_replace(reader *R, PyObject *text, Py_ssize_t sstart, Py_ssize_t send, int placeholder)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (!n)
        return 0;
    Py_ssize_t p = R->length;
    if (put_run(R) < 0)
        return -1;
    R->has_run = 1; /* a REPLACED run is never merged */
    R->rp = p;
    R->rs = sstart;
    R->rlen = n;
    R->rkind = 1;
    R->rslen = send - sstart;
    if (placeholder) {
        PyObject *span = Py_BuildValue("(nn)", p, p + n);
        if (span == NULL)
            return -1;
        int r = PyList_Append(R->placeholders, span);
        Py_DECREF(span);
        if (r < 0)
            return -1;
    }
    if (PyList_Append(R->parts, text) < 0)
        return -1;
    R->length = p + n;
    return 0;
}

/* next(ph): "Dummy0", "Dummy1", ... */
static int
b_placeholder(reader *R, Py_ssize_t sstart, Py_ssize_t send)
{
    PyObject *name = PyUnicode_FromFormat("Dummy%zd", R->phn++);
    if (name == NULL)
        return -1;
    int r = b_replace(R, name, sstart, send, 1);
    Py_DECREF(name);
    return r;
}

/* ProjectionBuilder.begin_block */
static int
b_begin(reader *R, PyObject *kind, Py_ssize_t sstart)
{
    if (R->length && b_replace(R, s_nlnl, sstart, sstart, 0) < 0)
        return -1;
    R->has_block = 1;
    R->block_start = R->length;
    Py_INCREF(kind);
    Py_XSETREF(R->block_kind, kind);
    return 0;
}

/* ProjectionBuilder.end_block */
static int
b_end(reader *R)
{
    if (R->has_block && R->length > R->block_start) {
        PyObject *t = Py_BuildValue("(nnO)", R->block_start, R->length, R->block_kind);
        if (t == NULL)
            return -1;
        int r = PyList_Append(R->blocks, t);
        Py_DECREF(t);
        if (r < 0)
            return -1;
    }
    R->has_block = 0;
    return 0;
}

/* readers._copy_prose */
static int
copy_prose(reader *R, Py_ssize_t start, Py_ssize_t end)
{
    int may = 0;
    if (R->nlit) { /* _UrlLiterals.may_hold */
        Py_ssize_t i = bisect_left_arr(R->lit_s, R->nlit, start);
        for (; i < R->nlit && R->lit_s[i] < end; i++)
            if (R->lit_e[i] <= end) {
                may = 1;
                break;
            }
    }
    if (!may)
        return b_copy(R, start, end);
    PyObject *spans = PyObject_CallFunction(R->url_spans, "nn", start, end);
    if (spans == NULL)
        return -1;
    if (!PyList_Check(spans)) {
        Py_DECREF(spans);
        PyErr_SetString(PyExc_TypeError, "url_spans must return a list");
        return -1;
    }
    Py_ssize_t pos = start;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(spans); i++) {
        Py_ssize_t ms, me;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(spans, i), "nn", &ms, &me)
            || b_copy(R, pos, ms) < 0 || b_placeholder(R, ms, me) < 0) {
            Py_DECREF(spans);
            return -1;
        }
        pos = me;
    }
    Py_DECREF(spans);
    return b_copy(R, pos, end);
}

/* read_markdown's flush: copy the pending verbatim text [start, end) of ntext */
static int
flush(reader *R, Py_ssize_t start, Py_ssize_t end)
{
    if (R->nnpos) {
        start = src(R, start);
        end = src(R, end - 1) + 1;
    }
    return copy_prose(R, start, end);
}

/* r["start"] or r["end"] as an int */
static int
range_get(PyObject *r, PyObject *key, Py_ssize_t *v)
{
    PyObject *x = PyObject_GetItem(r, key);
    if (x == NULL)
        return -1;
    *v = PyLong_AsSsize_t(x);
    Py_DECREF(x);
    return (*v == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* kinds[-1] (borrowed) */
static PyObject *
kinds_last(PyObject *kinds)
{
    Py_ssize_t n = PyList_GET_SIZE(kinds);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return NULL;
    }
    return PyList_GET_ITEM(kinds, n - 1);
}

/* The tag of a Start/End value: the value if a str, else its first item (key). New ref. */
static PyObject *
tag_of(PyObject *val)
{
    if (PyUnicode_CheckExact(val)) {
        Py_INCREF(val);
        return val;
    }
    PyObject *it = PyObject_GetIter(val);
    if (it == NULL)
        return NULL;
    PyObject *tag = PyIter_Next(it);
    Py_DECREF(it);
    if (tag == NULL && !PyErr_Occurred())
        PyErr_SetNone(PyExc_StopIteration);
    return tag;
}

static int
str_is(PyObject *o, const char *s)
{
    return PyUnicode_Check(o) && PyUnicode_CompareWithASCIIString(o, s) == 0;
}

/* str.isspace */
static int
all_space(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (n == 0)
        return 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            return 0;
    return 1;
}

/* LineIndex.position(offset)[0] of LineIndex(ntext) */
static Py_ssize_t
line_number(reader *R, Py_ssize_t offset)
{
    if (offset > R->nlen)
        offset = R->nlen;
    if (offset < 0)
        offset = 0;
    return bisect_right_arr(R->lines, R->nlines, offset);
}

static const char ESCAPABLE[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"; /* readers._ESCAPABLE */

static int
walk_events(reader *R, PyObject *events, PyObject *kinds, PyObject *skip, PyObject *block_tags,
            PyObject *containers, PyObject *kind_of, Py_ssize_t nesting, PyObject *nested)
{
    int same_chars = R->nruns == 0, same_src = R->nnpos == 0;
    Py_ssize_t depth = 0, hidden = 0, pend_start = -1, pend_end = -1, last = 0;
    int open_block = 0;
    PyObject *it = PyObject_GetIter(events), *item = NULL, *tag = NULL;
    if (it == NULL)
        return -1;
#define FAIL goto fail
#define FLUSH                                                                                      \
    do {                                                                                           \
        if (pend_end >= 0) {                                                                       \
            if (flush(R, pend_start, pend_end) < 0)                                                \
                FAIL;                                                                              \
            pend_end = -1;                                                                         \
        }                                                                                          \
    } while (0)
#define BEGIN(at)                                                                                  \
    do {                                                                                           \
        PyObject *k_ = kinds_last(kinds);                                                          \
        if (k_ == NULL || b_begin(R, k_, (at)) < 0)                                                \
            FAIL;                                                                                  \
        open_block = 1;                                                                            \
    } while (0)
    while ((item = PyIter_Next(it)) != NULL) {
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "an event must be a pair (event, range)");
            FAIL;
        }
        PyObject *ev = PyTuple_GET_ITEM(item, 0), *r = PyTuple_GET_ITEM(item, 1), *val;
        Py_ssize_t a, z, rs, re;
        Py_UCS4 c;
        if (PyUnicode_CheckExact(ev)) { /* SoftBreak, HardBreak, Rule */
            int soft = PyUnicode_CompareWithASCIIString(ev, "SoftBreak") == 0;
            if (soft && pend_end >= 0 && same_src && !hidden && open_block) {
                if (nchar(R, pend_end, &c) < 0)
                    FAIL;
                if (c == '\n') {
                    Py_ssize_t doi = PyUnicode_Tailmatch(R->ntext, s_doi, 0, pend_end, 1);
                    if (doi < 0)
                        FAIL;
                    if (!doi) {
                        last = pend_end = pend_end + 1;
                        Py_CLEAR(item);
                        continue;
                    }
                }
            }
            FLUSH;
            if (hidden || PyUnicode_CompareWithASCIIString(ev, "Rule") == 0) {
                Py_CLEAR(item);
                continue;
            }
            if (range_get(r, s_rstart, &rs) < 0)
                FAIL;
            a = same_chars ? rs : char_at(R, rs);
            Py_ssize_t k = PyUnicode_FindChar(R->ntext, '\n', a, R->nlen, 1);
            if (k == -2)
                FAIL;
            if (k < 0 || !open_block) {
                Py_CLEAR(item);
                continue;
            }
            last = k + 1;
            Py_ssize_t s, e;
            if (same_src) {
                s = k;
                e = k + 1;
            } else {
                s = src(R, k);
                Py_ssize_t crlf = PyUnicode_Tailmatch(R->text, s_crlf, s, PY_SSIZE_T_MAX, -1);
                if (crlf < 0)
                    FAIL;
                e = s + (crlf ? 2 : 1);
            }
            if (soft) {
                if (b_copy(R, s, e) < 0)
                    FAIL;
            } else if (PyUnicode_CompareWithASCIIString(ev, "HardBreak") == 0) {
                if (b_replace(R, s_nl, s, e, 0) < 0)
                    FAIL;
            }
            Py_CLEAR(item);
            continue;
        }
        if (!PyDict_Check(ev)) {
            PyErr_SetString(PyExc_TypeError, "an event must be a str or a dict");
            FAIL;
        }
        if ((val = PyDict_GetItemWithError(ev, s_Text)) != NULL) {
            if (hidden) {
                Py_CLEAR(item);
                continue;
            }
            if (!PyUnicode_Check(val)) {
                PyErr_SetString(PyExc_TypeError, "a Text event must hold a str");
                FAIL;
            }
            Py_INCREF(val); /* (replaced by val[1:] below: owned) */
            if (range_get(r, s_rstart, &rs) < 0 || range_get(r, s_rend, &re) < 0) {
                Py_DECREF(val);
                FAIL;
            }
            if (same_chars) {
                a = rs;
                z = re;
            } else {
                a = char_at(R, rs);
                z = char_at(R, re);
            }
            int escape = 0;
            if (a > last) {
                if (nchar(R, a - 1, &c) < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
                if (c == '\\') {
                    if (nchar(R, a, &c) < 0) {
                        Py_DECREF(val);
                        FAIL;
                    }
                    escape = c < 128 && c && strchr(ESCAPABLE, (int)c) != NULL;
                }
            }
            last = z;
            if (!open_block) {
                if (all_space(val)) {
                    Py_DECREF(val);
                    Py_CLEAR(item);
                    continue;
                }
                PyObject *k_ = kinds_last(kinds);
                if (k_ == NULL || b_begin(R, k_, src(R, escape ? a - 1 : a)) < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
                open_block = 1;
            }
            if (escape) {
                if (PyUnicode_GET_LENGTH(val) == 0) {
                    Py_DECREF(val);
                    PyErr_SetString(PyExc_IndexError, "string index out of range");
                    FAIL;
                }
                Py_UCS4 v0 = PyUnicode_READ_CHAR(val, 0), n0;
                if (nchar(R, a, &n0) < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
                if (v0 == n0) {
                    int bad = 0;
                    if (pend_end >= 0) {
                        bad = flush(R, pend_start, pend_end) < 0;
                        pend_end = -1;
                    }
                    PyObject *first = bad ? NULL : PyUnicode_Substring(val, 0, 1);
                    bad = first == NULL || b_replace(R, first, src(R, a - 1), src(R, a) + 1, 0) < 0;
                    Py_XDECREF(first);
                    PyObject *rest = bad ? NULL : PyUnicode_Substring(val, 1, PyUnicode_GET_LENGTH(val));
                    Py_DECREF(val);
                    if (rest == NULL)
                        FAIL;
                    val = rest;
                    a += 1;
                    if (PyUnicode_GET_LENGTH(val) == 0) {
                        Py_DECREF(val);
                        Py_CLEAR(item);
                        continue;
                    }
                }
            }
            int verbatim = 0;
            if (z - a == PyUnicode_GET_LENGTH(val)) {
                Py_ssize_t m = PyUnicode_Tailmatch(R->ntext, val, a, PY_SSIZE_T_MAX, -1);
                if (m < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
                verbatim = (int)m;
            }
            if (pend_end >= 0 && (pend_end != a || !verbatim)) {
                if (flush(R, pend_start, pend_end) < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
                pend_end = -1;
            }
            if (verbatim) {
                if (pend_end < 0)
                    pend_start = a;
                pend_end = z;
            } else if (z > a) {
                if (b_replace(R, val, src(R, a), src(R, z - 1) + 1, 0) < 0) {
                    Py_DECREF(val);
                    FAIL;
                }
            }
            Py_DECREF(val);
            Py_CLEAR(item);
            continue;
        }
        if (PyErr_Occurred())
            FAIL;
        FLUSH;
        if ((val = PyDict_GetItemWithError(ev, s_Start)) != NULL) {
            if ((tag = tag_of(val)) == NULL)
                FAIL;
            int is_block = PySet_Contains(block_tags, tag);
            if (is_block < 0)
                FAIL;
            if (!is_block) {
                if (!open_block && !hidden) {
                    if (range_get(r, s_rstart, &rs) < 0)
                        FAIL;
                    BEGIN(src(R, char_at(R, rs)));
                }
                if (str_is(tag, "Image"))
                    hidden++;
                Py_CLEAR(tag);
                Py_CLEAR(item);
                continue;
            }
            if (open_block) {
                if (b_end(R) < 0)
                    FAIL;
                open_block = 0;
            }
            int is_container = PySet_Contains(containers, tag);
            if (is_container < 0)
                FAIL;
            if (is_container) {
                if (depth >= nesting - 1 && !str_is(tag, "List")) {
                    if (range_get(r, s_rstart, &rs) < 0)
                        FAIL;
                    PyObject *x = PyObject_CallFunction(nested, "n", char_at(R, rs));
                    if (x != NULL) {
                        Py_DECREF(x);
                        PyErr_SetString(PyExc_RuntimeError, "nested() must raise");
                    }
                    FAIL;
                }
                depth++;
            }
            int code = str_is(tag, "CodeBlock");
            if (code || str_is(tag, "HtmlBlock")) {
                hidden++;
                if (code) {
                    if (range_get(r, s_rstart, &rs) < 0 || range_get(r, s_rend, &re) < 0)
                        FAIL;
                    a = char_at(R, rs);
                    z = char_at(R, re);
                    Py_ssize_t first = line_number(R, a) - 1;
                    Py_ssize_t after = line_number(R, a > z - 1 ? a : z - 1);
                    /* starts = lines.starts + [len(ntext)] */
                    Py_ssize_t nst = R->nlines + 1;
                    if (after > nst - 1)
                        after = nst - 1;
                    if (first < 0 || first >= nst || after < 0) {
                        PyErr_SetString(PyExc_IndexError, "list index out of range");
                        FAIL;
                    }
                    Py_ssize_t f = first < R->nlines ? R->lines[first] : R->nlen;
                    Py_ssize_t l = after < R->nlines ? R->lines[after] : R->nlen;
                    PyObject *span = Py_BuildValue("(nn)", src(R, f), src(R, l));
                    if (span == NULL)
                        FAIL;
                    int rr = PyList_Append(skip, span);
                    Py_DECREF(span);
                    if (rr < 0)
                        FAIL;
                }
            }
            PyObject *k = PyDict_GetItemWithError(kind_of, tag);
            if (k == NULL) {
                if (PyErr_Occurred() || (k = kinds_last(kinds)) == NULL)
                    FAIL;
            }
            if (PyList_Append(kinds, k) < 0)
                FAIL;
            Py_CLEAR(tag);
        } else if (PyErr_Occurred()) {
            FAIL;
        } else if ((val = PyDict_GetItemWithError(ev, s_End)) != NULL) {
            if ((tag = tag_of(val)) == NULL)
                FAIL;
            int is_block = PySet_Contains(block_tags, tag);
            if (is_block < 0)
                FAIL;
            if (!is_block) {
                if (str_is(tag, "Image"))
                    hidden--;
                Py_CLEAR(tag);
                Py_CLEAR(item);
                continue;
            }
            if (open_block) {
                if (b_end(R) < 0)
                    FAIL;
                open_block = 0;
            }
            int is_container = PySet_Contains(containers, tag);
            if (is_container < 0)
                FAIL;
            if (is_container)
                depth--;
            if (str_is(tag, "CodeBlock") || str_is(tag, "HtmlBlock"))
                hidden--;
            Py_ssize_t nk = PyList_GET_SIZE(kinds);
            if (nk == 0) {
                PyErr_SetString(PyExc_IndexError, "pop from empty list");
                FAIL;
            }
            if (PyList_SetSlice(kinds, nk - 1, nk, NULL) < 0)
                FAIL;
            Py_CLEAR(tag);
        } else if (PyErr_Occurred()) {
            FAIL;
        } else if ((val = PyDict_GetItemWithError(ev, s_Code)) != NULL) {
            if (hidden) {
                Py_CLEAR(item);
                continue;
            }
            if (range_get(r, s_rstart, &rs) < 0 || range_get(r, s_rend, &re) < 0)
                FAIL;
            if (same_chars) {
                a = rs;
                z = re;
            } else {
                a = char_at(R, rs);
                z = char_at(R, re);
            }
            last = z;
            if (!open_block)
                BEGIN(src(R, a));
            if (same_src) {
                if (b_placeholder(R, a, z) < 0)
                    FAIL;
            } else if (b_placeholder(R, src(R, a), src(R, z - 1) + 1) < 0) {
                FAIL;
            }
        } else if (PyErr_Occurred()) {
            FAIL;
        } else if ((val = PyDict_GetItemWithError(ev, s_InlineHtml)) != NULL) {
            if (range_get(r, s_rend, &re) < 0)
                FAIL;
            last = char_at(R, re);
            if (!open_block && !hidden) {
                if (range_get(r, s_rstart, &rs) < 0)
                    FAIL;
                BEGIN(src(R, char_at(R, rs)));
            }
        } else if (PyErr_Occurred()) {
            FAIL;
        }
        Py_CLEAR(item);
    }
    if (PyErr_Occurred())
        FAIL;
    Py_DECREF(it);
    if (pend_end >= 0 && flush(R, pend_start, pend_end) < 0)
        return -1;
    if (open_block && b_end(R) < 0)
        return -1;
    return 0;
fail:
    Py_XDECREF(tag);
    Py_XDECREF(item);
    Py_DECREF(it);
    return -1;
#undef FAIL
#undef FLUSH
#undef BEGIN
}

static PyObject *
markdown_events(PyObject *module, PyObject *args)
{
    PyObject *events, *b, *text, *ntext, *ptext, *npos, *runs, *lit_s, *lit_e, *url_spans, *lines, *skip,
        *block_tags, *containers, *kind_of, *nested, *kinds = NULL, *off = NULL, *res = NULL;
    Py_ssize_t nesting;
    if (!PyArg_ParseTuple(args, "OOUUUO!O!O!O!OO!O!O!O!O!nO:markdown_events", &events, &b, &text, &ntext, &ptext,
                          &PyList_Type, &npos, &PyList_Type, &runs, &PyList_Type, &lit_s, &PyList_Type, &lit_e,
                          &url_spans, &PyList_Type, &lines, &PyList_Type, &skip, &PyFrozenSet_Type, &block_tags,
                          &PyFrozenSet_Type, &containers, &PyDict_Type, &kind_of, &nesting, &nested))
        return NULL;
    reader R;
    memset(&R, 0, sizeof R);
    R.text = text;
    R.ntext = ntext;
    R.ptext = ptext;
    R.nkind = PyUnicode_KIND(ntext);
    R.ndata = PyUnicode_DATA(ntext);
    R.nlen = PyUnicode_GET_LENGTH(ntext);
    R.url_spans = url_spans;
    if (int_array(npos, &R.npos, &R.nnpos) < 0 || int_array(lit_s, &R.lit_s, &R.nlit) < 0)
        goto done;
    Py_ssize_t ne;
    if (int_array(lit_e, &R.lit_e, &ne) < 0)
        goto done;
    if (ne != R.nlit) {
        PyErr_SetString(PyExc_ValueError, "url literal starts and ends differ in length");
        goto done;
    }
    if (int_array(lines, &R.lines, &R.nlines) < 0)
        goto done;
    Py_ssize_t nr = PyList_GET_SIZE(runs);
    if (nr) {
        R.rbs = PyMem_New(Py_ssize_t, nr);
        R.rcs = PyMem_New(Py_ssize_t, nr);
        R.rbl = PyMem_New(Py_ssize_t, nr);
        R.rcl = PyMem_New(Py_ssize_t, nr);
        if (!R.rbs || !R.rcs || !R.rbl || !R.rcl) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < nr; i++) {
            if (!PyArg_ParseTuple(PyList_GET_ITEM(runs, i), "nnnn", &R.rbs[i], &R.rcs[i], &R.rbl[i], &R.rcl[i]))
                goto done;
        }
        R.nruns = nr;
    }
    /* the ProjectionBuilder's lists (new, empty) */
    if ((off = PyObject_GetAttrString(b, "offsets")) == NULL)
        goto done;
    PyObject **slots[] = {&R.parts, &R.op, &R.os, &R.olen, &R.okind, &R.oslen, &R.blocks, &R.placeholders};
    PyObject *owners[] = {b, off, off, off, off, off, b, b};
    const char *names[] = {"parts", "_p", "_s", "_len", "_kind", "_slen", "blocks", "placeholders"};
    for (int i = 0; i < 8; i++) {
        PyObject *x = PyObject_GetAttrString(owners[i], names[i]);
        if (x == NULL)
            goto done;
        *slots[i] = x;
        if (!PyList_Check(x) || PyList_GET_SIZE(x) != 0) {
            PyErr_Format(PyExc_ValueError, "markdown_events: the builder's %s must be a new list", names[i]);
            goto done;
        }
    }
    PyObject *lengthobj = PyObject_GetAttr(b, s_length);
    if (lengthobj == NULL)
        goto done;
    R.length = PyLong_AsSsize_t(lengthobj);
    Py_DECREF(lengthobj);
    if (R.length != 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "markdown_events: the builder must be new");
        goto done;
    }
    kinds = Py_BuildValue("[s]", "paragraph");
    if (kinds == NULL)
        goto done;
    if (walk_events(&R, events, kinds, skip, block_tags, containers, kind_of, nesting, nested) < 0)
        goto done;
    if (put_run(&R) < 0)
        goto done;
    PyObject *len = PyLong_FromSsize_t(R.length);
    if (len == NULL)
        goto done;
    int bad = PyObject_SetAttr(b, s_length, len);
    Py_DECREF(len);
    if (bad || PyObject_SetAttr(b, s_block_start, Py_None) < 0)
        goto done;
    if (R.block_kind != NULL && PyObject_SetAttr(b, s_block_kind, R.block_kind) < 0)
        goto done;
    res = Py_NewRef(Py_None);
done:
    PyMem_Free(R.npos);
    PyMem_Free(R.lit_s);
    PyMem_Free(R.lit_e);
    PyMem_Free(R.lines);
    PyMem_Free(R.rbs);
    PyMem_Free(R.rcs);
    PyMem_Free(R.rbl);
    PyMem_Free(R.rcl);
    Py_XDECREF(R.parts);
    Py_XDECREF(R.op);
    Py_XDECREF(R.os);
    Py_XDECREF(R.olen);
    Py_XDECREF(R.okind);
    Py_XDECREF(R.oslen);
    Py_XDECREF(R.blocks);
    Py_XDECREF(R.placeholders);
    Py_XDECREF(R.block_kind);
    Py_XDECREF(kinds);
    Py_XDECREF(off);
    return res;
}


/* ---------------------------------------------------------------------------------- */
/* Paragraphs and sentences (segment.build_paragraphs).                                 */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
    PyObject *prose;
    PyObject *never_final, *maybe_final, *openers; /* segment's sets */
} seg;

static inline Py_UCS4
sch(const seg *S, Py_ssize_t i)
{
    return PyUnicode_READ(S->kind, S->data, i);
}

static inline int
is_closer(Py_UCS4 c) /* ["'”’»)\]] */
{
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0xBB || c == ')' || c == ']';
}

/* The matches of segment._BOUNDARY in the whole text: (start, end) pairs into ``out``. */
static int
boundary_scan(const seg *S, ibuf *out)
{
    Py_ssize_t i = 0, n = S->n;
    while (i < n) {
        Py_UCS4 c = sch(S, i);
        if (c != '.' && c != '!' && c != '?' && c != 0x2026) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        if (c != 0x2026)
            while (j < n && (sch(S, j) == '.' || sch(S, j) == '!' || sch(S, j) == '?'))
                j++;
        while (j < n && is_closer(sch(S, j)))
            j++;
        if (j == n || Py_UNICODE_ISSPACE(sch(S, j))) {
            if (ibuf_push2(out, i, j) < 0)
                return -1;
            i = j;
        } else {
            i++;
        }
    }
    return 0;
}

/* segment._is_break for the candidate [ms, me) of the block [start, end): 1, 0, or -2
 * when the token before it is not ASCII (the caller asks the Python code); -1: error. */
static int
is_break(const seg *S, Py_ssize_t ms, Py_ssize_t me, Py_ssize_t start, Py_ssize_t end)
{
    /* _next_visible */
    Py_ssize_t i = me;
    while (i < end && Py_UNICODE_ISSPACE(sch(S, i)))
        i++;
    while (i < end) {
        Py_UCS4 c = sch(S, i);
        if (c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == 0xAB || c == '(' || c == '[')
            i++;
        else
            break;
    }
    if (i >= end)
        return 1;
    Py_UCS4 nxt = sch(S, i);
    if (Py_UNICODE_ISLOWER(nxt))
        return 0;
    Py_UCS4 p0 = sch(S, ms);
    if (p0 == '!' || p0 == '?')
        return 1;
    if (p0 == 0x2026 || (me - ms >= 3 && p0 == '.' && sch(S, ms + 1) == '.' && sch(S, ms + 2) == '.'))
        return Py_UNICODE_ISUPPER(nxt) || !Py_UNICODE_ISALNUM(nxt);
    /* _token_before(text, ms, start) */
    Py_ssize_t te = ms;
    if (te > start && sch(S, te - 1) == '\n')
        te--;
    Py_ssize_t ts = te;
    while (ts > start) {
        Py_UCS4 c = sch(S, ts - 1);
        if (Py_UNICODE_ISSPACE(c) || c == '(' || c == '"' || c == 0x201C || c == 0x2018 || c == '\'' || c == '[')
            break;
        ts--;
    }
    Py_ssize_t tn = te - ts;
    char small[64];
    char *low = tn < (Py_ssize_t)sizeof small ? small : PyMem_Malloc((size_t)tn + 1);
    if (low == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int has_dot = 0, dotted = tn > 0, res = 1;
    for (Py_ssize_t k = 0; k < tn; k++) {
        Py_UCS4 c = sch(S, ts + k);
        if (c >= 128) {
            res = -2;
            goto done;
        }
        if (c == '.')
            has_dot = 1;
        /* (?:[A-Za-z]\.)+[A-Za-z]: letters at even places, dots at odd, odd length >= 3 */
        int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (k % 2 == 0 ? !letter : c != '.')
            dotted = 0;
        low[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (tn < 3 || tn % 2 == 0)
        dotted = 0;
    Py_ssize_t ln = tn;
    while (ln > 0 && low[ln - 1] == '.')
        ln--;
    PyObject *lw = PyUnicode_FromStringAndSize(low, ln);
    if (lw == NULL) {
        res = -1;
        goto done;
    }
    int never = PySet_Contains(S->never_final, lw);
    int maybe = never == 0 ? PySet_Contains(S->maybe_final, lw) : 0;
    Py_DECREF(lw);
    if (never < 0 || maybe < 0) {
        res = -1;
        goto done;
    }
    if (never) {
        res = 0;
    } else if (tn == 1 && sch(S, ts) >= 'A' && sch(S, ts) <= 'Z') {
        res = 0;
    } else if (has_dot && dotted) {
        res = 0;
        if (maybe && Py_UNICODE_ISUPPER(nxt)) {
            /* not _looks_like_name_after: \s*([A-Z][a-z]+) not a sentence opener */
            Py_ssize_t w = me;
            while (w < end && Py_UNICODE_ISSPACE(sch(S, w)))
                w++;
            Py_ssize_t ws = w;
            if (w < end && sch(S, w) >= 'A' && sch(S, w) <= 'Z') {
                w++;
                while (w < end && sch(S, w) >= 'a' && sch(S, w) <= 'z')
                    w++;
            }
            if (w - ws < 2) {
                res = 1; /* no name after */
            } else {
                PyObject *word = PyUnicode_Substring(S->prose, ws, w);
                if (word == NULL) {
                    res = -1;
                    goto done;
                }
                int op = PySet_Contains(S->openers, word);
                Py_DECREF(word);
                res = op < 0 ? -1 : op;
            }
        }
    } else if (maybe) {
        res = Py_UNICODE_ISUPPER(nxt);
    }
done:
    if (low != small)
        PyMem_Free(low);
    return res;
}

/* Paragraph(start, end, kind, sentences) with the sentences of the spans (pairs in
 * ``sp``, k of them) appended to ``out``; nothing when k is 0. */
typedef struct {
    PyObject *spans;       /* (starts, ends) or None */
    Py_ssize_t *s, *e, n;  /* the same, as C arrays */
} phspans;

static int
add_paragraph(PyObject *out, PyObject *para_t, PyObject *sent_t, PyObject *prose, PyObject *bstart,
              PyObject *bend, PyObject *kind, const Py_ssize_t *sp, Py_ssize_t k, const phspans *ph)
{
    if (k == 0)
        return 0;
    PyObject *idx = PyLong_FromSsize_t(PyList_GET_SIZE(out));
    PyObject *sents = PyList_New(k);
    if (idx == NULL || sents == NULL)
        goto fail;
    for (Py_ssize_t j = 0; j < k; j++) {
        PyObject *a = PyLong_FromSsize_t(sp[2 * j]), *b = PyLong_FromSsize_t(sp[2 * j + 1]);
        Py_ssize_t x = sp[2 * j], y = sp[2 * j + 1];
        /* prose[x:y] (a span from ``split`` may lie outside the text: slice semantics) */
        PyObject *t = 0 <= x && x <= y && y <= PyUnicode_GET_LENGTH(prose) ? PyUnicode_Substring(prose, x, y)
                                                                         : PySequence_GetSlice(prose, x, y);
        PyObject *s = NULL;
        if (a && b && t) {
            /* the placeholder spans when one overlaps the sentence (build_paragraphs) */
            Py_ssize_t i = ph->n ? bisect_right_arr(ph->e, ph->n, sp[2 * j]) : 0;
            int over = i < ph->n && ph->s[i] < sp[2 * j + 1];
            PyObject *argv[7] = {a, b, t, Py_None, idx, prose, ph->spans};
            s = PyObject_Vectorcall(sent_t, argv, over ? 7 : 6, NULL);
        }
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(t);
        if (s == NULL)
            goto fail;
        PyList_SET_ITEM(sents, j, s);
    }
    PyObject *argv[4] = {bstart, bend, kind, sents};
    PyObject *p = PyObject_Vectorcall(para_t, argv, 4, NULL);
    if (p == NULL)
        goto fail;
    int r = PyList_Append(out, p);
    Py_DECREF(p);
    Py_DECREF(idx);
    Py_DECREF(sents);
    return r;
fail:
    Py_XDECREF(idx);
    Py_XDECREF(sents);
    return -1;
}

static PyObject *
paragraphs(PyObject *module, PyObject *args)
{
    PyObject *prose, *blocks, *para_t, *sent_t, *split;
    seg S;
    phspans ph = {Py_None, NULL, NULL, 0};
    if (!PyArg_ParseTuple(args, "UO!OOOO!O!O!|O:paragraphs", &prose, &PyList_Type, &blocks, &para_t, &sent_t,
                          &split, &PyFrozenSet_Type, &S.never_final, &PyFrozenSet_Type, &S.maybe_final,
                          &PyFrozenSet_Type, &S.openers, &ph.spans))
        return NULL;
    if (ph.spans != Py_None) {
        Py_ssize_t ne;
        if (!PyTuple_Check(ph.spans) || PyTuple_GET_SIZE(ph.spans) != 2) {
            PyErr_SetString(PyExc_TypeError, "paragraphs: placeholders must be a tuple (starts, ends) or None");
            return NULL;
        }
        if (int_array(PyTuple_GET_ITEM(ph.spans, 0), &ph.s, &ph.n) < 0)
            return NULL;
        if (int_array(PyTuple_GET_ITEM(ph.spans, 1), &ph.e, &ne) < 0) {
            PyMem_Free(ph.s);
            return NULL;
        }
        if (ne < ph.n) /* (bisect_right on ends, then starts[i]: as far as both go) */
            ph.n = ne;
    }
    S.kind = PyUnicode_KIND(prose);
    S.data = PyUnicode_DATA(prose);
    S.n = PyUnicode_GET_LENGTH(prose);
    S.prose = prose;
    ibuf marks = {NULL, 0, 0}, spans = {NULL, 0, 0};
    PyObject *out = PyList_New(0), *blk = NULL, *got = NULL;
    if (out == NULL || boundary_scan(&S, &marks) < 0)
        goto fail;
    Py_ssize_t nm = marks.n / 2, n = S.n;
    for (Py_ssize_t bi = 0; bi < PyList_GET_SIZE(blocks); bi++) {
        blk = PyList_GET_ITEM(blocks, bi);
        Py_INCREF(blk);
        Py_ssize_t start, end;
        PyObject *kind;
        if (!PyTuple_Check(blk) || PyTuple_GET_SIZE(blk) != 3) {
            PyErr_SetString(PyExc_TypeError, "a block must be a tuple (start, end, kind)");
            goto fail;
        }
        PyObject *ostart = PyTuple_GET_ITEM(blk, 0), *oend = PyTuple_GET_ITEM(blk, 1);
        kind = PyTuple_GET_ITEM(blk, 2);
        start = PyLong_AsSsize_t(ostart);
        if (start == -1 && PyErr_Occurred())
            goto fail;
        end = PyLong_AsSsize_t(oend);
        if (end == -1 && PyErr_Occurred())
            goto fail;
        spans.n = 0;
        int python = 1; /* the block's spans from split(prose, start, end) */
        if (0 <= start && start <= end && end <= n && (start == 0 || Py_UNICODE_ISSPACE(sch(&S, start - 1)))
            && (end == n || Py_UNICODE_ISSPACE(sch(&S, end)))) {
            python = 0;
            /* marks inside: [lo, hi) */
            Py_ssize_t lo = 0, hi = nm;
            while (lo < hi) {
                Py_ssize_t mid = lo + (hi - lo) / 2;
                if (start <= marks.v[2 * mid])
                    hi = mid;
                else
                    lo = mid + 1;
            }
            Py_ssize_t h = lo;
            hi = nm;
            while (h < hi) {
                Py_ssize_t mid = h + (hi - h) / 2;
                if (end <= marks.v[2 * mid])
                    hi = mid;
                else
                    h = mid + 1;
            }
            hi = h;
            Py_ssize_t b = end;
            while (b > start && Py_UNICODE_ISSPACE(sch(&S, b - 1)))
                b--;
            if (lo < hi && marks.v[2 * (hi - 1) + 1] >= b)
                hi--;
            /* segment._split on marks [lo, hi) */
            Py_ssize_t cur = start;
            for (Py_ssize_t j = lo; j <= hi && !python; j++) {
                Py_ssize_t brk;
                if (j < hi) {
                    int r = is_break(&S, marks.v[2 * j], marks.v[2 * j + 1], start, end);
                    if (r == -1)
                        goto fail;
                    if (r == -2) {
                        python = 1;
                        break;
                    }
                    if (!r)
                        continue;
                    brk = marks.v[2 * j + 1];
                } else {
                    brk = end;
                }
                Py_ssize_t a = cur, z = brk;
                cur = brk;
                while (a < z && Py_UNICODE_ISSPACE(sch(&S, a)))
                    a++;
                while (z > a && Py_UNICODE_ISSPACE(sch(&S, z - 1)))
                    z--;
                if (a < z && ibuf_push2(&spans, a, z) < 0)
                    goto fail;
            }
        }
        if (python) {
            spans.n = 0;
            got = PyObject_CallFunction(split, "Onn", prose, start, end);
            if (got == NULL)
                goto fail;
            if (!PyList_Check(got)) {
                PyErr_SetString(PyExc_TypeError, "split must return a list");
                goto fail;
            }
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(got); j++) {
                Py_ssize_t a, z;
                if (!PyArg_ParseTuple(PyList_GET_ITEM(got, j), "nn", &a, &z) || ibuf_push2(&spans, a, z) < 0)
                    goto fail;
            }
            Py_CLEAR(got);
        }
        if (add_paragraph(out, para_t, sent_t, prose, ostart, oend, kind, spans.v, spans.n / 2, &ph) < 0)
            goto fail;
        Py_CLEAR(blk);
    }
    PyMem_Free(marks.v);
    PyMem_Free(spans.v);
    PyMem_Free(ph.s);
    PyMem_Free(ph.e);
    return out;
fail:
    Py_XDECREF(blk);
    Py_XDECREF(got);
    Py_XDECREF(out);
    PyMem_Free(marks.v);
    PyMem_Free(spans.v);
    PyMem_Free(ph.s);
    PyMem_Free(ph.e);
    return NULL;
}

static PyMethodDef methods[] = {
    {"find_words", find_words, METH_VARARGS,
     "find_words(sentences, columns_type) -> list\n\n"
     "For each Sentence of the list whose ``text`` is an ASCII str and whose ``start`` an\n"
     "int >= 0, set ``_columns`` to the WordColumns (``columns_type``) that\n"
     "Sentence.word_columns finds for it alone (model._word_columns on ``text`` with\n"
     "_ASCII_SPLIT, offsets from ``start``; placeholder word indices as\n"
     "model._placeholder_indices from ``placeholders`` when it is not None). Returns the\n"
     "other sentences (non-ASCII text: the Unicode pattern), in order, untouched.\n"
     "Equal word texts of one call are one str object: a 1 MB document's ~125,000 words\n"
     "have ~14,000 spellings (peak memory -7 MB; equal values, so nothing else changes).\n"
     "Replaces the loop of model._find_words."},
    {"paragraphs", paragraphs, METH_VARARGS,
     "paragraphs(prose, blocks, Paragraph, Sentence, split, never_final, maybe_final, openers,\n"
     "           placeholders=None)\n\n"
     "segment.build_paragraphs(prose, blocks, placeholders): the same paragraphs and\n"
     "sentences (a sentence overlapping a placeholder span gets ``placeholders``), built by\n"
     "calling ``Paragraph`` and ``Sentence``; the boundary candidates (_BOUNDARY) and\n"
     "_is_break in C, with segment's _NEVER_FINAL, _MAYBE_FINAL and _SENTENCE_OPENERS; a\n"
     "block whose candidates need a non-ASCII token, or whose text is not set off by\n"
     "whitespace, is split by ``split(prose, start, end)`` (segment.split_sentences)."},
    {"markdown_events", markdown_events, METH_VARARGS,
     "markdown_events(events, builder, text, ntext, parse_text, npos, char_runs, url_starts, url_ends,\n"
     "                url_spans, line_starts, skip, block_tags, containers, kind_of, nesting, nested)\n\n"
     "The event loop of readers.read_markdown, for a new ProjectionBuilder ``builder`` of\n"
     "``text``: copies and replaces into it (parts, offsets, blocks, placeholders, length)\n"
     "and appends the code blocks' line spans to ``skip``, as the Python loop does with\n"
     "the same arguments (``npos``: _Norm.npos; ``char_runs``: _Chars.runs of ``parse_text``;\n"
     "``url_starts``/``url_ends``: _UrlLiterals; ``url_spans(start, end)``: the spans of\n"
     "URL.finditer(text, start, end); ``line_starts``: LineIndex(ntext).starts;\n"
     "``block_tags``/``containers``/``kind_of``: _BLOCK_TAGS, _CONTAINERS, _KIND;\n"
     "``nesting``: BLOCK_NESTING; ``nested(offset)`` raises the nesting error). Returns None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "document", "Compiled speed-ups of lintkit.document.", -1, methods,
};

PyMODINIT_FUNC
PyInit_document(void)
{
    if (s_start == NULL) {
        if ((s_start = PyUnicode_InternFromString("start")) == NULL
            || (s_end = PyUnicode_InternFromString("end")) == NULL
            || (s_text = PyUnicode_InternFromString("text")) == NULL
            || (s_placeholders = PyUnicode_InternFromString("placeholders")) == NULL
            || (s_columns = PyUnicode_InternFromString("_columns")) == NULL
            || (s_Text = PyUnicode_InternFromString("Text")) == NULL
            || (s_Start = PyUnicode_InternFromString("Start")) == NULL
            || (s_End = PyUnicode_InternFromString("End")) == NULL
            || (s_Code = PyUnicode_InternFromString("Code")) == NULL
            || (s_InlineHtml = PyUnicode_InternFromString("InlineHtml")) == NULL
            || (s_rstart = PyUnicode_InternFromString("start")) == NULL
            || (s_rend = PyUnicode_InternFromString("end")) == NULL
            || (s_doi = PyUnicode_InternFromString("doi:")) == NULL
            || (s_crlf = PyUnicode_InternFromString("\r\n")) == NULL
            || (s_nl = PyUnicode_InternFromString("\n")) == NULL
            || (s_nlnl = PyUnicode_InternFromString("\n\n")) == NULL
            || (s_length = PyUnicode_InternFromString("length")) == NULL
            || (s_block_start = PyUnicode_InternFromString("_block_start")) == NULL
            || (s_block_kind = PyUnicode_InternFromString("_block_kind")) == NULL)
            return NULL;
    }
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
