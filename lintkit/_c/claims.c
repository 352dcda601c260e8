/* Compiled speed-ups of the claims family (lintkit/families/claims/): the per-sentence and
 * per-hit loops of a document's claim scan, each done in one call per document (or per
 * pack). Each function does exactly what the pure-Python code named in its docstring does
 * (that code stays the reference and the fallback; tests/test_c_claims.py compares them).
 *
 * Only the public CPython C API. Inputs are type-checked (TypeError, not a crash). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

static PyObject *s_text, *s_paragraph, *s_kind, *s_translate, *s_end, *s_start, *s_lastgroup, *s_t0,
    *s_round, *i_three;

/* Python's ``seq[i]`` for a list, with a negative ``i`` counted from the end (a new
 * reference, or NULL with IndexError). */
static PyObject *
list_at(PyObject *list, Py_ssize_t i)
{
    Py_ssize_t n = PyList_GET_SIZE(list);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return NULL;
    }
    PyObject *x = PyList_GET_ITEM(list, i);
    Py_INCREF(x);
    return x;
}

/* An int object's value as Py_ssize_t (-1 with an exception set on failure). */
static Py_ssize_t
as_index(PyObject *x)
{
    if (!PyLong_Check(x)) {
        PyErr_SetString(PyExc_TypeError, "an int is required");
        return -1;
    }
    return PyLong_AsSsize_t(x);
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(texts_doc,
"texts(sentences, paragraphs, skip, table) -> (todo, texts)\n\n"
"The sentences the claims analysis reads and their normalised texts, as in\n"
"analyze.analyse: ``todo = [i for i, s in enumerate(sentences) if\n"
"paragraphs[s.paragraph].kind not in skip]`` and ``texts = [normalise(sentences[i].text)\n"
"for i in todo]``, where ``normalise(t)`` is ``t if t.isascii() else t.translate(table)``\n"
"(lexicon.normalise). ``sentences``: a list; ``skip``: a set or frozenset.");

static PyObject *
claims_texts(PyObject *self, PyObject *args)
{
    PyObject *sentences, *paragraphs, *skip, *table;
    if (!PyArg_ParseTuple(args, "O!OOO:texts", &PyList_Type, &sentences, &paragraphs, &skip, &table))
        return NULL;
    if (!PyAnySet_Check(skip)) {
        PyErr_SetString(PyExc_TypeError, "texts: skip must be a set or frozenset");
        return NULL;
    }
    PyObject *todo = PyList_New(0);
    PyObject *texts = PyList_New(0);
    if (todo == NULL || texts == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sentences); i++) {
        PyObject *s = PyList_GET_ITEM(sentences, i);
        Py_INCREF(s);
        PyObject *pi = PyObject_GetAttr(s, s_paragraph);
        if (pi == NULL) {
            Py_DECREF(s);
            goto fail;
        }
        PyObject *para = PyObject_GetItem(paragraphs, pi);
        Py_DECREF(pi);
        if (para == NULL) {
            Py_DECREF(s);
            goto fail;
        }
        PyObject *kind = PyObject_GetAttr(para, s_kind);
        Py_DECREF(para);
        if (kind == NULL) {
            Py_DECREF(s);
            goto fail;
        }
        int skipped = PySet_Contains(skip, kind);
        Py_DECREF(kind);
        if (skipped != 0) {
            Py_DECREF(s);
            if (skipped < 0)
                goto fail;
            continue;
        }
        PyObject *t = PyObject_GetAttr(s, s_text);
        Py_DECREF(s);
        if (t == NULL)
            goto fail;
        if (!PyUnicode_Check(t)) {
            Py_DECREF(t);
            PyErr_SetString(PyExc_TypeError, "texts: a sentence's text must be a str");
            goto fail;
        }
        PyObject *n;
        if (PyUnicode_IS_ASCII(t)) {
            n = t;
        } else {
            n = PyObject_CallMethodOneArg(t, s_translate, table);
            Py_DECREF(t);
            if (n == NULL)
                goto fail;
        }
        int err = PyList_Append(texts, n);
        Py_DECREF(n);
        if (err < 0)
            goto fail;
        PyObject *idx = PyLong_FromSsize_t(i);
        if (idx == NULL)
            goto fail;
        err = PyList_Append(todo, idx);
        Py_DECREF(idx);
        if (err < 0)
            goto fail;
    }
    PyObject *out = PyTuple_Pack(2, todo, texts);
    Py_DECREF(todo);
    Py_DECREF(texts);
    return out;
fail:
    Py_XDECREF(todo);
    Py_XDECREF(texts);
    return NULL;
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(starts_doc,
"starts(texts, sep) -> list[int]\n\n"
"Where each of ``texts`` (a list of str) begins in ``SEP + SEP.join(texts) + SEP`` with\n"
"``len(SEP) == sep``: fast._starts.");

static PyObject *
claims_starts(PyObject *self, PyObject *args)
{
    PyObject *texts;
    Py_ssize_t sep;
    if (!PyArg_ParseTuple(args, "O!n:starts", &PyList_Type, &texts, &sep))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = sep;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(t)) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "starts: texts must be str");
            return NULL;
        }
        PyObject *x = PyLong_FromSsize_t(pos);
        if (x == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, x);
        pos += PyUnicode_GET_LENGTH(t) + sep;
    }
    return out;
}

/* ------------------------------------------------------------------------------------ */

/* (m.end() as an object, its value, m.lastgroup) of a match object; 0, or -1 on error. */
static int
match_end_group(PyObject *m, PyObject **end, Py_ssize_t *endv, PyObject **group)
{
    *end = PyObject_CallMethodNoArgs(m, s_end);
    if (*end == NULL)
        return -1;
    *endv = as_index(*end);
    if (*endv == -1 && PyErr_Occurred()) {
        Py_CLEAR(*end);
        return -1;
    }
    *group = PyObject_GetAttr(m, s_lastgroup);
    if (*group == NULL) {
        Py_CLEAR(*end);
        return -1;
    }
    return 0;
}

/* Append the hit (start, m.end(), m.lastgroup) of the match ``m`` to the list ``out``
   (``start`` borrowed) and set ``*endv`` to m.end(); 0, or -1 on error. */
static int
append_hit(PyObject *out, PyObject *start, PyObject *m, Py_ssize_t *endv)
{
    PyObject *e, *g;
    if (match_end_group(m, &e, endv, &g) < 0)
        return -1;
    PyObject *hit = PyTuple_Pack(3, start, e, g);
    Py_DECREF(e);
    Py_DECREF(g);
    if (hit == NULL)
        return -1;
    int err = PyList_Append(out, hit);
    Py_DECREF(hit);
    return err;
}

PyDoc_STRVAR(match_at_doc,
"match_at(match, text, positions) -> list[tuple[int, int, str | None]]\n\n"
"``list(FastPattern.hits_at(...))``: for each ``p`` of ``positions`` (a list of int,\n"
"ascending) at or after the end of the previous hit, ``m = match(text, p - 1)``; a match\n"
"gives the hit ``(p, m.end(), m.lastgroup)``.");

static PyObject *
claims_match_at(PyObject *self, PyObject *args)
{
    PyObject *match, *text, *positions;
    if (!PyArg_ParseTuple(args, "OOO!:match_at", &match, &text, &PyList_Type, &positions))
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t end = 0;
    PyObject *p = NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(positions); i++) {
        p = PyList_GET_ITEM(positions, i);
        Py_INCREF(p);
        Py_ssize_t pv = as_index(p);
        if (pv == -1 && PyErr_Occurred())
            goto fail_p;
        if (pv < end) {
            Py_DECREF(p);
            continue;
        }
        PyObject *q = PyLong_FromSsize_t(pv - 1);
        if (q == NULL)
            goto fail_p;
        PyObject *callargs[2] = {text, q};
        PyObject *m = PyObject_Vectorcall(match, callargs, 2, NULL);
        Py_DECREF(q);
        if (m == NULL)
            goto fail_p;
        if (m == Py_None) {
            Py_DECREF(m);
            Py_DECREF(p);
            continue;
        }
        int err = append_hit(out, p, m, &end);
        Py_DECREF(m);
        Py_DECREF(p);
        if (err < 0)
            goto fail;
    }
    return out;
fail_p:
    Py_XDECREF(p);
fail:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(search_all_doc,
"search_all(search, text, pos, stop) -> list[tuple[int, int, str | None]]\n\n"
"``list(FastPattern.hits(...))`` of a pattern that consumes the boundary before a hit:\n"
"while ``m = search(text, pos, stop)`` finds one, the hit ``(m.start() + 1, m.end(),\n"
"m.lastgroup)``, and ``pos = m.end() - 1``.");

static PyObject *
claims_search_all(PyObject *self, PyObject *args)
{
    PyObject *search, *text;
    Py_ssize_t pos, stop;
    if (!PyArg_ParseTuple(args, "OOnn:search_all", &search, &text, &pos, &stop))
        return NULL;
    PyObject *out = PyList_New(0);
    PyObject *stopo = PyLong_FromSsize_t(stop);
    if (out == NULL || stopo == NULL)
        goto fail;
    for (;;) {
        PyObject *po = PyLong_FromSsize_t(pos);
        if (po == NULL)
            goto fail;
        PyObject *callargs[3] = {text, po, stopo};
        PyObject *m = PyObject_Vectorcall(search, callargs, 3, NULL);
        Py_DECREF(po);
        if (m == NULL)
            goto fail;
        if (m == Py_None) {
            Py_DECREF(m);
            break;
        }
        PyObject *so = PyObject_CallMethodNoArgs(m, s_start);
        if (so == NULL) {
            Py_DECREF(m);
            goto fail;
        }
        Py_ssize_t start = as_index(so);
        Py_DECREF(so);
        if (start == -1 && PyErr_Occurred()) {
            Py_DECREF(m);
            goto fail;
        }
        Py_ssize_t endv;
        PyObject *a = PyLong_FromSsize_t(start + 1);
        int err = a ? append_hit(out, a, m, &endv) : -1;
        Py_XDECREF(a);
        Py_DECREF(m);
        if (err < 0)
            goto fail;
        pos = endv - 1;
    }
    Py_XDECREF(stopo);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(stopo);
    return NULL;
}

/* ------------------------------------------------------------------------------------ */

/* bisect.bisect_right(starts, a, lo) over a list of int. */
static Py_ssize_t
bisect_right(PyObject *starts, Py_ssize_t a, Py_ssize_t lo)
{
    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "lo must be non-negative");
        return -1;
    }
    Py_ssize_t hi = PyList_GET_SIZE(starts);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t v = as_index(PyList_GET_ITEM(starts, mid));
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (a < v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

PyDoc_STRVAR(collect_doc,
"collect(hits, texts, starts, weights, found) -> None\n\n"
"The per-hit loop of lexicon._fast_hits (from text 0) and lexicon.Lexicon.scan_raw:\n"
"for each ``(a, b, group)`` of ``hits`` (a list, ascending, offsets into a Batch's\n"
"``folded``) with ``a != b``: ``k = bisect_right(starts, a, k) - 1``, ``s = starts[k]``,\n"
"and ``found.setdefault(k, []).append((a - s, b - s, texts[k][a - s:b - s],\n"
"weights[group or 't0']))``. ``texts``, ``starts``: lists; ``weights``, ``found``: dicts.");

static PyObject *
claims_collect(PyObject *self, PyObject *args)
{
    PyObject *hits, *texts, *starts, *weights, *found;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!:collect", &PyList_Type, &hits, &PyList_Type, &texts,
                          &PyList_Type, &starts, &PyDict_Type, &weights, &PyDict_Type, &found))
        return NULL;
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(hits); i++) {
        PyObject *h = PyList_GET_ITEM(hits, i);
        if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) != 3) {
            PyErr_SetString(PyExc_TypeError, "collect: a hit must be a tuple (start, end, group)");
            return NULL;
        }
        Py_ssize_t a = as_index(PyTuple_GET_ITEM(h, 0));
        if (a == -1 && PyErr_Occurred())
            return NULL;
        Py_ssize_t b = as_index(PyTuple_GET_ITEM(h, 1));
        if (b == -1 && PyErr_Occurred())
            return NULL;
        if (a == b)
            continue;
        PyObject *group = PyTuple_GET_ITEM(h, 2);
        k = bisect_right(starts, a, k);
        if (k == -1 && PyErr_Occurred())
            return NULL;
        k -= 1;
        PyObject *so = list_at(starts, k);
        if (so == NULL)
            return NULL;
        Py_ssize_t s = as_index(so);
        Py_DECREF(so);
        if (s == -1 && PyErr_Occurred())
            return NULL;
        PyObject *text = list_at(texts, k);
        if (text == NULL)
            return NULL;
        if (!PyUnicode_Check(text) || a - s < 0 || b - s < 0) {
            Py_DECREF(text);
            PyErr_SetString(PyExc_ValueError, "collect: a hit before its text");
            return NULL;
        }
        int truth = PyObject_IsTrue(group);
        if (truth < 0) {
            Py_DECREF(text);
            return NULL;
        }
        PyObject *key = truth ? group : s_t0;
        PyObject *w = PyDict_GetItemWithError(weights, key); /* borrowed */
        if (w == NULL) {
            Py_DECREF(text);
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, key);
            return NULL;
        }
        PyObject *x = PyLong_FromSsize_t(a - s);
        PyObject *y = PyLong_FromSsize_t(b - s);
        PyObject *sub = PyUnicode_Substring(text, a - s, b - s);
        Py_DECREF(text);
        PyObject *hit = (x && y && sub) ? PyTuple_Pack(4, x, y, sub, w) : NULL;
        Py_XDECREF(x);
        Py_XDECREF(y);
        Py_XDECREF(sub);
        if (hit == NULL)
            return NULL;
        PyObject *ko = PyLong_FromSsize_t(k);
        if (ko == NULL) {
            Py_DECREF(hit);
            return NULL;
        }
        PyObject *lst = PyDict_GetItemWithError(found, ko); /* borrowed */
        if (lst == NULL) {
            if (PyErr_Occurred() || (lst = PyList_New(0)) == NULL) {
                Py_DECREF(ko);
                Py_DECREF(hit);
                return NULL;
            }
            int err = PyDict_SetItem(found, ko, lst);
            Py_DECREF(lst); /* the dict holds it */
            if (err < 0) {
                Py_DECREF(ko);
                Py_DECREF(hit);
                return NULL;
            }
        }
        Py_DECREF(ko);
        int err = PyList_Check(lst) ? PyList_Append(lst, hit) : -2;
        Py_DECREF(hit);
        if (err == -2)
            PyErr_SetString(PyExc_TypeError, "collect: found must map to lists");
        if (err < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(bounds_doc,
"bounds(signals) -> dict[int, float]\n\n"
"analyze.score_bounds: for each dict of ``signals.values()`` (text index -> list of hits)\n"
"and each non-empty list of hits of text k, ``bounds[k] = bounds.get(k, 0.0) +\n"
"round(max(h[3] for h in hits), 3)``, in that order.");

static PyObject *
claims_bounds(PyObject *self, PyObject *signals)
{
    if (!PyDict_Check(signals)) {
        PyErr_SetString(PyExc_TypeError, "bounds: signals must be a dict");
        return NULL;
    }
    PyObject *bounds = PyDict_New();
    if (bounds == NULL)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *cat, *found;
    while (PyDict_Next(signals, &pos, &cat, &found)) {
        if (!PyDict_Check(found)) {
            PyErr_SetString(PyExc_TypeError, "bounds: signals must map to dicts");
            goto fail;
        }
        Py_INCREF(found);
        Py_ssize_t fpos = 0;
        PyObject *k, *hits;
        while (PyDict_Next(found, &fpos, &k, &hits)) {
            if (!PyList_Check(hits)) {
                PyErr_SetString(PyExc_TypeError, "bounds: hits must be a list");
                goto fail_found;
            }
            Py_ssize_t n = PyList_GET_SIZE(hits);
            if (n == 0)
                continue;
            Py_INCREF(hits);
            Py_INCREF(k);
            PyObject *best = NULL;
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(hits); j++) {
                PyObject *h = PyList_GET_ITEM(hits, j);
                if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) < 4) {
                    PyErr_SetString(PyExc_TypeError, "bounds: a hit must be a tuple of 4");
                    goto fail_hits;
                }
                PyObject *w = PyTuple_GET_ITEM(h, 3);
                if (best == NULL) {
                    Py_INCREF(w);
                    best = w;
                    continue;
                }
                int gt = PyObject_RichCompareBool(w, best, Py_GT);
                if (gt < 0)
                    goto fail_hits;
                if (gt) {
                    Py_INCREF(w);
                    Py_SETREF(best, w);
                }
            }
            PyObject *callargs[2] = {best, i_three};
            PyObject *r = PyObject_VectorcallMethod(s_round, callargs, 2, NULL);
            Py_CLEAR(best);
            Py_DECREF(hits);
            if (r == NULL) {
                Py_DECREF(k);
                goto fail_found;
            }
            PyObject *prev = PyDict_GetItemWithError(bounds, k); /* borrowed */
            PyObject *sum = NULL;
            if (prev != NULL) {
                sum = PyNumber_Add(prev, r);
            } else if (!PyErr_Occurred()) {
                PyObject *zero = PyFloat_FromDouble(0.0);
                if (zero != NULL) {
                    sum = PyNumber_Add(zero, r);
                    Py_DECREF(zero);
                }
            }
            Py_DECREF(r);
            int err = sum == NULL ? -1 : PyDict_SetItem(bounds, k, sum);
            Py_XDECREF(sum);
            Py_DECREF(k);
            if (err < 0)
                goto fail_found;
            continue;
        fail_hits:
            Py_XDECREF(best);
            Py_DECREF(hits);
            Py_DECREF(k);
            goto fail_found;
        }
        Py_DECREF(found);
        continue;
    fail_found:
        Py_DECREF(found);
        goto fail;
    }
    return bounds;
fail:
    Py_DECREF(bounds);
    return NULL;
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(first_span_doc,
"first_span(spans, lo, hi) -> int\n\n"
"The index of the first ``(a, b)`` of ``spans`` (a list of 2-tuples of int) with\n"
"``lo <= a < hi``, or -1: the loop of support.citation_in over ``document.url_spans``.");

static PyObject *
claims_first_span(PyObject *self, PyObject *args)
{
    PyObject *spans;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "O!nn:first_span", &PyList_Type, &spans, &lo, &hi))
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(spans); i++) {
        PyObject *span = PyList_GET_ITEM(spans, i);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "first_span: a span must be a tuple (start, end)");
            return NULL;
        }
        Py_ssize_t a = as_index(PyTuple_GET_ITEM(span, 0));
        if (a == -1 && PyErr_Occurred())
            return NULL;
        if (lo <= a && a < hi)
            return PyLong_FromSsize_t(i);
    }
    return PyLong_FromLong(-1);
}

/* ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(scan_at_doc,
"scan_at(match, text, boundary, table) -> list[int]\n\n"
"``[m.end() for m in pattern.finditer(text)]`` for the pre-filter's pattern (fast.Prefilter),\n"
"whose every match is one character long: a character of an ASCII class (``boundary``, 128\n"
"bytes, non-zero for the class's characters) followed by a look-ahead. ``match`` is the\n"
"pattern's ``match``; it is called at every ``q`` where ``text[q]`` is in ``boundary``, unless\n"
"the three characters after it are ASCII and their bit in ``table`` is 0 (``table``: 128 * 128\n"
"* 16 bytes; the bit of ``(c1, c2, c3)`` is bit ``c3 % 8`` of byte ``(c1 * 128 + c2) * 16 +\n"
"c3 // 8``, which must be set wherever the look-ahead can match). Gives ``q + 1`` for each\n"
"``q`` where it matches, ascending.");

static PyObject *
claims_scan_at(PyObject *self, PyObject *args)
{
    PyObject *match, *text;
    Py_buffer bnd, tab;
    if (!PyArg_ParseTuple(args, "OUy*y*:scan_at", &match, &text, &bnd, &tab))
        return NULL;
    PyObject *out = NULL;
    if (bnd.len != 128 || tab.len != 128 * 128 * 16) {
        PyErr_SetString(PyExc_ValueError, "scan_at: boundary must be 128 bytes and table 262144");
        goto done;
    }
    const unsigned char *b = (const unsigned char *)bnd.buf;
    const unsigned char *t = (const unsigned char *)tab.buf;
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t q = 0; q < n; q++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, q);
        if (c >= 128 || !b[c])
            continue;
        if (q + 3 < n) {
            Py_UCS4 c1 = PyUnicode_READ(kind, data, q + 1);
            Py_UCS4 c2 = PyUnicode_READ(kind, data, q + 2);
            Py_UCS4 c3 = PyUnicode_READ(kind, data, q + 3);
            if (c1 < 128 && c2 < 128 && c3 < 128 &&
                !((t[(c1 * 128 + c2) * 16 + c3 / 8] >> (c3 % 8)) & 1))
                continue; /* the look-ahead cannot match there */
        }
        PyObject *qo = PyLong_FromSsize_t(q);
        if (qo == NULL)
            goto fail;
        PyObject *callargs[2] = {text, qo};
        PyObject *m = PyObject_Vectorcall(match, callargs, 2, NULL);
        Py_DECREF(qo);
        if (m == NULL)
            goto fail;
        int found = m != Py_None;
        Py_DECREF(m);
        if (found) {
            PyObject *e = PyLong_FromSsize_t(q + 1);
            if (e == NULL)
                goto fail;
            int err = PyList_Append(out, e);
            Py_DECREF(e);
            if (err < 0)
                goto fail;
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyBuffer_Release(&bnd);
    PyBuffer_Release(&tab);
    return out;
}

/* ------------------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"texts", claims_texts, METH_VARARGS, texts_doc},
    {"starts", claims_starts, METH_VARARGS, starts_doc},
    {"match_at", claims_match_at, METH_VARARGS, match_at_doc},
    {"search_all", claims_search_all, METH_VARARGS, search_all_doc},
    {"collect", claims_collect, METH_VARARGS, collect_doc},
    {"bounds", claims_bounds, METH_O, bounds_doc},
    {"first_span", claims_first_span, METH_VARARGS, first_span_doc},
    {"scan_at", claims_scan_at, METH_VARARGS, scan_at_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "claims",
    "Compiled loops of the claims family (see lintkit/families/claims/).", -1, methods,
};

PyMODINIT_FUNC
PyInit_claims(void)
{
#define INTERN(var, s) if ((var = PyUnicode_InternFromString(s)) == NULL) return NULL
    INTERN(s_text, "text");
    INTERN(s_paragraph, "paragraph");
    INTERN(s_kind, "kind");
    INTERN(s_translate, "translate");
    INTERN(s_end, "end");
    INTERN(s_start, "start");
    INTERN(s_lastgroup, "lastgroup");
    INTERN(s_t0, "t0");
    INTERN(s_round, "__round__");
#undef INTERN
    if ((i_three = PyLong_FromLong(3)) == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
