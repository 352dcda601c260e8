/* Compiled loops of lintkit/families/consistency/names.py (CN101 term variants).
 *
 * Each function does, for one whole document, exactly what the pure-Python function named
 * in its docstring does (the reference, kept in names.py and compared with this code by
 * tests/test_c_names.py): same results, same order, same objects where they reach output.
 *
 * An occurrence is a tuple (start, end, form, key, initial, heading, caps, quoted, n,
 * joined): see lintkit/families/consistency/units.py.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

enum { O_START = 0, O_END = 1, O_FORM = 2, O_KEY = 3, O_INITIAL = 4, O_HEADING = 5, O_LEN = 10 };

/* ---------------------------------------------------------------------------------------
 * Helpers
 */

static int
check_occ(PyObject *o)
{
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) < O_LEN) {
        PyErr_SetString(PyExc_TypeError, "an occurrence must be a tuple of 10 items");
        return -1;
    }
    return 0;
}

static int
check_str(PyObject *s, const char *what)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str, not %.100s", what, Py_TYPE(s)->tp_name);
        return -1;
    }
    return 0;
}

static int
check_list(PyObject *s, const char *what)
{
    if (!PyList_Check(s)) {
        PyErr_Format(PyExc_TypeError, "%s must be a list, not %.100s", what, Py_TYPE(s)->tp_name);
        return -1;
    }
    return 0;
}

/* str.isalpha(): ASCII here, else the method itself. 1, 0, or -1 (error). */
static int
is_alpha(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (PyUnicode_IS_ASCII(s)) {
        const Py_UCS1 *p = PyUnicode_1BYTE_DATA(s);
        if (n == 0)
            return 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS1 c = p[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                return 0;
        }
        return 1;
    }
    PyObject *r = PyObject_CallMethod(s, "isalpha", NULL);
    if (r == NULL)
        return -1;
    int t = PyObject_IsTrue(r);
    Py_DECREF(r);
    return t;
}

/* Equal as dict keys (identity first). 1, 0, or -1. */
static inline int
same(PyObject *a, PyObject *b)
{
    return a == b ? 1 : PyObject_RichCompareBool(a, b, Py_EQ);
}

/* ---------------------------------------------------------------------------------------
 * groups
 */

static PyObject *
sort_by(PyObject *list, PyObject *keyfn)
{
    PyObject *meth = PyObject_GetAttrString(list, "sort");
    if (meth == NULL)
        return NULL;
    PyObject *empty = PyTuple_New(0);
    PyObject *kw = PyDict_New();
    PyObject *r = NULL;
    if (empty != NULL && kw != NULL && PyDict_SetItemString(kw, "key", keyfn) == 0)
        r = PyObject_Call(meth, empty, kw);
    Py_XDECREF(empty);
    Py_XDECREF(kw);
    Py_DECREF(meth);
    return r;
}

/* Sort by_key[key] by start if it is a list of 2+ items. 0 or -1. */
static int
sort_key_list(PyObject *by_key, PyObject *key, PyObject *keyfn)
{
    PyObject *occs = PyDict_GetItemWithError(by_key, key);
    if (occs == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyList_Check(occs) || PyList_GET_SIZE(occs) < 2)
        return 0;
    Py_INCREF(occs);
    PyObject *r = sort_by(occs, keyfn);
    Py_DECREF(occs);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

/* Append occurrence o of a plural to joined, as a use of its singular (key one), if its
 * form ends in "s": (start, end - 1, form[:-1], one, ...the rest of o). 0 or -1. */
static int
append_cut(PyObject *joined, PyObject *o, PyObject *one, PyObject *minus_one)
{
    PyObject *form = PyTuple_GET_ITEM(o, O_FORM);
    if (check_str(form, "a form") < 0)
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(form);
    if (n == 0 || PyUnicode_READ_CHAR(form, n - 1) != 's')
        return 0;
    PyObject *end = PyNumber_Add(PyTuple_GET_ITEM(o, O_END), minus_one);
    if (end == NULL)
        return -1;
    PyObject *cut = PyUnicode_Substring(form, 0, n - 1);
    if (cut == NULL) {
        Py_DECREF(end);
        return -1;
    }
    PyObject *t = PyTuple_New(O_LEN);
    if (t == NULL) {
        Py_DECREF(end);
        Py_DECREF(cut);
        return -1;
    }
    for (Py_ssize_t j = 0; j < O_LEN; j++) {
        PyObject *v;
        if (j == O_END)
            v = end; /* (references stolen by the tuple) */
        else if (j == O_FORM)
            v = cut;
        else {
            v = j == O_KEY ? one : PyTuple_GET_ITEM(o, j);
            Py_INCREF(v);
        }
        PyTuple_SET_ITEM(t, j, v);
    }
    int err = PyList_Append(joined, t);
    Py_DECREF(t);
    return err;
}

/* The occurrences of a plural key joined to its singular (by_key[one], a copy of it
 * with them appended). 0 or -1. */
static int
join_plural(PyObject *by_key, PyObject *key, PyObject *one, PyObject *plural, PyObject *sequences,
            PyObject *minus_one)
{
    PyObject *single = PyDict_GetItemWithError(by_key, one);
    if (single == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, one);
        return -1;
    }
    if (check_list(single, "an occurrence list") < 0 || check_list(plural, "an occurrence list") < 0)
        return -1;
    PyObject *joined = PyList_GetSlice(single, 0, PyList_GET_SIZE(single));
    if (joined == NULL)
        return -1;
    if (PyDict_SetItem(by_key, one, joined) < 0) {
        Py_DECREF(joined);
        return -1;
    }
    Py_INCREF(plural); /* by_key's reference goes with the key */
    int rc = -1;
    if (PyDict_DelItem(by_key, key) < 0)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(plural); i++) {
        PyObject *o = PyList_GET_ITEM(plural, i);
        if (check_occ(o) < 0)
            goto done;
        Py_INCREF(o);
        int err = append_cut(joined, o, one, minus_one);
        Py_DECREF(o);
        if (err < 0)
            goto done;
    }
    int in_seq = PySet_Contains(sequences, key);
    if (in_seq < 0 || (in_seq && PySet_Add(sequences, one) < 0))
        goto done;
    rc = 0;
done:
    Py_DECREF(joined);
    Py_DECREF(plural);
    return rc;
}

static PyObject *
names_groups(PyObject *self, PyObject *args)
{
    PyObject *keyed, *unsorted, *sequences_in, *keyfn;
    if (!PyArg_ParseTuple(args, "O!OOO:groups", &PyDict_Type, &keyed, &unsorted, &sequences_in, &keyfn))
        return NULL;
    PyObject *by_key = PyDict_Copy(keyed);
    PyObject *sequences = PySet_New(sequences_in);
    PyObject *joined_keys = PyList_New(0);
    PyObject *minus_one = PyLong_FromLong(-1);
    PyObject *it = NULL;
    if (by_key == NULL || sequences == NULL || joined_keys == NULL || minus_one == NULL)
        goto fail;
    Py_ssize_t pos = 0;
    PyObject *key, *occs;
    while (PyDict_Next(keyed, &pos, &key, &occs)) {
        if (check_str(key, "a key") < 0)
            goto fail;
        Py_ssize_t n = PyUnicode_GET_LENGTH(key);
        if (n <= 4 || PyUnicode_READ_CHAR(key, n - 1) != 's' || PyUnicode_READ_CHAR(key, n - 2) == 's')
            continue;
        PyObject *one = PyUnicode_Substring(key, 0, n - 1);
        if (one == NULL)
            goto fail;
        int has = PyDict_Contains(keyed, one);
        if (has > 0) {
            Py_INCREF(key);
            Py_INCREF(occs);
            int err = join_plural(by_key, key, one, occs, sequences, minus_one);
            Py_DECREF(key);
            Py_DECREF(occs);
            if (err < 0 || PyList_Append(joined_keys, one) < 0)
                has = -1;
        }
        Py_DECREF(one);
        if (has < 0)
            goto fail;
    }
    it = PyObject_GetIter(unsorted);
    if (it == NULL)
        goto fail;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int err = sort_key_list(by_key, item, keyfn);
        Py_DECREF(item);
        if (err < 0)
            goto fail;
    }
    if (PyErr_Occurred())
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(joined_keys); i++)
        if (sort_key_list(by_key, PyList_GET_ITEM(joined_keys, i), keyfn) < 0)
            goto fail;
    Py_DECREF(it);
    Py_DECREF(joined_keys);
    Py_DECREF(minus_one);
    return Py_BuildValue("(NN)", by_key, sequences);
fail:
    Py_XDECREF(it);
    Py_XDECREF(by_key);
    Py_XDECREF(sequences);
    Py_XDECREF(joined_keys);
    Py_XDECREF(minus_one);
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * classify
 */

typedef struct {
    PyObject *occ; /* the first occurrence of the class (a reference held) */
    Py_ssize_t count;
} Class;

#define FEW_CLASSES 32

/* Counter(map(itemgetter(FORM, INITIAL, HEADING), occs)) as a dict, any number of classes. */
static PyObject *
count_classes_dict(PyObject *occs)
{
    PyObject *out = PyDict_New();
    PyObject *one = PyLong_FromLong(1);
    if (out == NULL || one == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(occs); i++) {
        PyObject *o = PyList_GET_ITEM(occs, i);
        if (check_occ(o) < 0)
            goto fail;
        PyObject *c = PyTuple_Pack(3, PyTuple_GET_ITEM(o, O_FORM), PyTuple_GET_ITEM(o, O_INITIAL),
                                   PyTuple_GET_ITEM(o, O_HEADING));
        if (c == NULL)
            goto fail;
        PyObject *n = PyDict_GetItemWithError(out, c);
        PyObject *m = n != NULL ? PyNumber_Add(n, one) : PyErr_Occurred() ? NULL : Py_NewRef(one);
        int err = m == NULL ? -1 : PyDict_SetItem(out, c, m);
        Py_XDECREF(m);
        Py_DECREF(c);
        if (err < 0)
            goto fail;
    }
    Py_DECREF(one);
    return out;
fail:
    Py_XDECREF(one);
    Py_XDECREF(out);
    return NULL;
}

static void
release_classes(Class *cls, Py_ssize_t n)
{
    for (Py_ssize_t j = 0; j < n; j++)
        Py_DECREF(cls[j].occ);
}

/* The same, with the classes looked for in a short array (a key has few classes); the
 * dict version above when there are more than FEW_CLASSES. */
static PyObject *
count_classes(PyObject *occs)
{
    Class cls[FEW_CLASSES];
    Py_ssize_t n_cls = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(occs); i++) {
        PyObject *o = PyList_GET_ITEM(occs, i);
        if (check_occ(o) < 0)
            goto fail;
        PyObject *form = PyTuple_GET_ITEM(o, O_FORM), *ini = PyTuple_GET_ITEM(o, O_INITIAL),
                 *head = PyTuple_GET_ITEM(o, O_HEADING);
        Py_ssize_t j;
        Py_INCREF(o); /* (an __eq__ below may change the list) */
        for (j = 0; j < n_cls; j++) {
            PyObject *c = cls[j].occ;
            int eq = same(PyTuple_GET_ITEM(c, O_FORM), form);
            if (eq > 0)
                eq = same(PyTuple_GET_ITEM(c, O_INITIAL), ini);
            if (eq > 0)
                eq = same(PyTuple_GET_ITEM(c, O_HEADING), head);
            if (eq < 0) {
                Py_DECREF(o);
                goto fail;
            }
            if (eq)
                break;
        }
        if (j < n_cls) {
            cls[j].count++;
            Py_DECREF(o);
            continue;
        }
        if (n_cls == FEW_CLASSES) {
            Py_DECREF(o);
            release_classes(cls, n_cls);
            return count_classes_dict(occs);
        }
        cls[n_cls].occ = o; /* the reference taken above */
        cls[n_cls].count = 1;
        n_cls++;
    }
    PyObject *out = PyDict_New();
    if (out == NULL)
        goto fail;
    for (Py_ssize_t j = 0; j < n_cls; j++) {
        PyObject *o = cls[j].occ;
        PyObject *c = PyTuple_Pack(3, PyTuple_GET_ITEM(o, O_FORM), PyTuple_GET_ITEM(o, O_INITIAL),
                                   PyTuple_GET_ITEM(o, O_HEADING));
        PyObject *m = PyLong_FromSsize_t(cls[j].count);
        int err = (c == NULL || m == NULL) ? -1 : PyDict_SetItem(out, c, m);
        Py_XDECREF(c);
        Py_XDECREF(m);
        if (err < 0) {
            Py_DECREF(out);
            goto fail;
        }
    }
    release_classes(cls, n_cls);
    return out;
fail:
    release_classes(cls, n_cls);
    return NULL;
}

/* len(key) >= 5 and key not in sequences and key.isalpha(). 1, 0, or -1. */
static int
is_near(PyObject *key, PyObject *sequences)
{
    if (PyUnicode_GET_LENGTH(key) < 5)
        return 0;
    int a = is_alpha(key);
    if (a <= 0)
        return a;
    int in = PySet_Contains(sequences, key);
    return in < 0 ? -1 : !in;
}

/* ---------------------------------------------------------------------------------------
 * resolved: the spelling each class stands for
 */

/* names._apos(form).replace("'", ""): the form without its apostrophes (a new reference). */
static PyObject *
apostrophe_free(PyObject *form)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(form);
    if (PyUnicode_FindChar(form, '\'', 0, n, 1) == -1 && PyUnicode_FindChar(form, 0x2019, 0, n, 1) == -1)
        return Py_NewRef(form); /* (-2, an error, cannot happen with these bounds) */
    PyObject *curly = PyUnicode_FromOrdinal(0x2019), *straight = PyUnicode_FromOrdinal('\''),
             *empty = PyUnicode_FromStringAndSize(NULL, 0);
    PyObject *a = NULL, *out = NULL;
    if (curly != NULL && straight != NULL && empty != NULL)
        a = PyUnicode_Replace(form, curly, straight, -1);
    if (a != NULL)
        out = PyUnicode_Replace(a, straight, empty, -1);
    Py_XDECREF(a);
    Py_XDECREF(curly);
    Py_XDECREF(straight);
    Py_XDECREF(empty);
    return out;
}

static inline Py_UCS1
ascii_fold(Py_UCS1 c)
{
    return (c >= 'A' && c <= 'Z') ? (Py_UCS1)(c + 32) : c;
}

/* str.split()'s whitespace, in ASCII */
static inline int
ascii_space(Py_UCS1 c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

/* The next word of s[*pos:] (str.split()): 1 with *start and *len set, or 0 at the end. */
static int
next_word(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t *pos, Py_ssize_t *start, Py_ssize_t *len)
{
    Py_ssize_t i = *pos;
    while (i < n && ascii_space(s[i]))
        i++;
    if (i == n) {
        *pos = i;
        return 0;
    }
    *start = i;
    while (i < n && !ascii_space(s[i]))
        i++;
    *len = i - *start;
    *pos = i;
    return 1;
}

/* names._compatible(form, target, initial, heading) for ASCII strings. */
static int
compatible_ascii(PyObject *form, PyObject *target, int initial, int heading)
{
    const Py_UCS1 *f = PyUnicode_1BYTE_DATA(form), *t = PyUnicode_1BYTE_DATA(target);
    Py_ssize_t nf = PyUnicode_GET_LENGTH(form), nt = PyUnicode_GET_LENGTH(target);
    if (nf == nt && memcmp(f, t, nf) == 0)
        return 1;
    /* (an empty form or target is compatible only with itself: form[:1] is "") */
    if (initial && nf == nt && nf > 0 && ascii_fold(f[0]) == ascii_fold(t[0]) && memcmp(f + 1, t + 1, nf - 1) == 0)
        return 1;
    if (heading) {
        Py_ssize_t pf = 0, pt = 0, sf, lf, st, lt;
        for (;;) {
            int wf = next_word(f, nf, &pf, &sf, &lf), wt = next_word(t, nt, &pt, &st, &lt);
            if (wf != wt)
                return 0; /* not as many words */
            if (!wf)
                return 1;
            if (lf != lt || ascii_fold(f[sf]) != ascii_fold(t[st]) || memcmp(f + sf + 1, t + st + 1, lf - 1) != 0)
                return 0;
        }
    }
    return 0;
}

/* names._compatible: in C for ASCII strings, else the Python function. 1, 0, or -1. */
static int
compatible(PyObject *form, PyObject *target, PyObject *initial, PyObject *heading, int ini, int head,
           PyObject *py_compatible)
{
    if (PyUnicode_IS_ASCII(form) && PyUnicode_IS_ASCII(target))
        return compatible_ascii(form, target, ini, head);
    PyObject *args[4] = {form, target, initial, heading};
    PyObject *r = PyObject_Vectorcall(py_compatible, args, 4, NULL);
    if (r == NULL)
        return -1;
    int ok = PyObject_IsTrue(r);
    Py_DECREF(r);
    return ok;
}

/* A class (form, initial, heading): its parts, checked. 0 or -1. */
static int
class_parts(PyObject *c, PyObject **form, int *ini, int *head)
{
    if (!PyTuple_Check(c) || PyTuple_GET_SIZE(c) < 3) {
        PyErr_SetString(PyExc_TypeError, "a class must be a tuple (form, initial, heading)");
        return -1;
    }
    *form = PyTuple_GET_ITEM(c, 0);
    if (check_str(*form, "a form") < 0)
        return -1;
    if ((*ini = PyObject_IsTrue(PyTuple_GET_ITEM(c, 1))) < 0 || (*head = PyObject_IsTrue(PyTuple_GET_ITEM(c, 2))) < 0)
        return -1;
    return 0;
}

/* names._resolved(classes, canonical): a new dict, or NULL. classes: a dict whose keys are
 * the classes, in order of first use. */
static PyObject *
resolve_classes(PyObject *classes, PyObject *canonical, PyObject *py_compatible)
{
    PyObject *rep = PyDict_New(), *resolved = PyDict_New(), *trusted = PyDict_New(), *order = NULL;
    if (rep == NULL || resolved == NULL || trusted == NULL)
        goto fail;
    Py_ssize_t pos = 0;
    PyObject *c, *v, *form;
    int ini, head, any_set = 0;
    while (PyDict_Next(classes, &pos, &c, &v)) {
        if (class_parts(c, &form, &ini, &head) < 0)
            goto fail;
        PyObject *key = apostrophe_free(form);
        if (key == NULL)
            goto fail;
        PyObject *r = PyDict_SetDefault(rep, key, form); /* borrowed */
        Py_DECREF(key);
        if (r == NULL || PyDict_SetItem(resolved, c, r) < 0)
            goto fail;
        if (ini || head)
            any_set = 1;
        else if (PyUnicode_GET_LENGTH(r) > 0 && PyDict_SetDefault(trusted, r, Py_None) == NULL)
            goto fail;
    }
    if (!any_set)
        goto done;
    /* the trusted spellings in order of first use, a house term's canonical spelling first */
    order = PyList_New(0);
    if (order == NULL)
        goto fail;
    if (canonical != Py_None) {
        int has = PyDict_Contains(trusted, canonical);
        if (has < 0 || (has == 0 && PyList_Append(order, canonical) < 0))
            goto fail;
    }
    pos = 0;
    while (PyDict_Next(trusted, &pos, &c, &v))
        if (PyList_Append(order, c) < 0)
            goto fail;
    pos = 0;
    while (PyDict_Next(classes, &pos, &c, &v)) {
        if (class_parts(c, &form, &ini, &head) < 0)
            goto fail;
        if (!(ini || head))
            continue;
        Py_INCREF(c);
        int err = 0;
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(order); i++) {
            PyObject *t = PyList_GET_ITEM(order, i);
            int ok = compatible(form, t, PyTuple_GET_ITEM(c, 1), PyTuple_GET_ITEM(c, 2), ini, head, py_compatible);
            if (ok < 0 || (ok > 0 && PyDict_SetItem(resolved, c, t) < 0))
                err = -1;
            if (ok != 0)
                break;
        }
        Py_DECREF(c);
        if (err < 0)
            goto fail;
    }
done:
    Py_XDECREF(order);
    Py_DECREF(rep);
    Py_DECREF(trusted);
    return resolved;
fail:
    Py_XDECREF(order);
    Py_XDECREF(rep);
    Py_XDECREF(resolved);
    Py_XDECREF(trusted);
    return NULL;
}

/* names._single: the one spelling the classes of a key without a house term resolve to
 * (a new reference), else None. */
static PyObject *
single_spelling(PyObject *classes, PyObject *py_compatible)
{
    PyObject *resolved = resolve_classes(classes, Py_None, py_compatible);
    if (resolved == NULL)
        return NULL;
    PyObject *first = NULL, *c, *v;
    Py_ssize_t pos = 0;
    int one = PyDict_GET_SIZE(resolved) > 0;
    while (one > 0 && PyDict_Next(resolved, &pos, &c, &v)) {
        if (first == NULL)
            first = v;
        else
            one = same(first, v);
    }
    PyObject *out = one < 0 ? NULL : Py_NewRef(one ? first : Py_None);
    Py_DECREF(resolved);
    return out;
}

static PyObject *
names_resolved(PyObject *self, PyObject *args)
{
    PyObject *classes, *canonical, *py_compatible;
    if (!PyArg_ParseTuple(args, "O!OO:resolved", &PyDict_Type, &classes, &canonical, &py_compatible))
        return NULL;
    if (canonical != Py_None && check_str(canonical, "canonical") < 0)
        return NULL;
    return resolve_classes(classes, canonical, py_compatible);
}

/* One key of classify(); key and occs are held by the caller. 0 or -1. */
static int
classify_key(PyObject *key, PyObject *occs, PyObject *canonical, PyObject *sequences, Py_ssize_t least,
             PyObject *py_compatible, PyObject *cands, PyObject *probe, PyObject *hard)
{
    if (check_str(key, "a key") < 0 || check_list(occs, "an occurrence list") < 0)
        return -1;
    Py_ssize_t n = PyList_GET_SIZE(occs);
    int canon = PySet_Contains(canonical, key);
    if (canon < 0)
        return -1;
    int near;
    if (n == 1 && !canon) {
        near = is_near(key, sequences);
        return (near < 0 || (near && PyDict_SetItem(cands, key, occs) < 0)) ? -1 : 0;
    }
    int one = n >= 1;
    if (n > 1) {
        PyObject *first = PyList_GET_ITEM(occs, 0);
        if (check_occ(first) < 0)
            return -1;
        PyObject *form = PyTuple_GET_ITEM(first, O_FORM);
        if (check_str(form, "a form") < 0)
            return -1;
        for (Py_ssize_t i = 1; i < PyList_GET_SIZE(occs) && one; i++) {
            PyObject *o = PyList_GET_ITEM(occs, i);
            if (check_occ(o) < 0 || check_str(PyTuple_GET_ITEM(o, O_FORM), "a form") < 0)
                return -1;
            one = same(form, PyTuple_GET_ITEM(o, O_FORM)); /* str == str: no Python code runs */
            if (one < 0)
                return -1;
        }
    }
    near = is_near(key, sequences);
    if (near < 0 || (near && PyDict_SetItem(cands, key, occs) < 0))
        return -1;
    if (one && !canon)
        return (near && n >= least && PyList_Append(probe, key) < 0) ? -1 : 0;
    if (near && PyList_Append(probe, key) < 0)
        return -1;
    PyObject *classes, *single;
    if (canon) {
        classes = Py_NewRef(Py_None);
        single = Py_NewRef(Py_None);
    } else {
        if ((classes = count_classes(occs)) == NULL)
            return -1;
        if ((single = single_spelling(classes, py_compatible)) == NULL) {
            Py_DECREF(classes);
            return -1;
        }
    }
    PyObject *t = Py_BuildValue("(OOOONN)", key, occs, near ? Py_True : Py_False, one ? Py_True : Py_False,
                                classes, single);
    if (t == NULL)
        return -1;
    int err = PyList_Append(hard, t);
    Py_DECREF(t);
    return err;
}

static PyObject *
names_classify(PyObject *self, PyObject *args)
{
    PyObject *by_key, *canonical, *sequences, *py_compatible;
    Py_ssize_t least;
    if (!PyArg_ParseTuple(args, "O!OOnO:classify", &PyDict_Type, &by_key, &canonical, &sequences, &least,
                          &py_compatible))
        return NULL;
    if (!PyAnySet_Check(canonical) || !PyAnySet_Check(sequences)) {
        PyErr_SetString(PyExc_TypeError, "classify: canonical and sequences must be sets");
        return NULL;
    }
    PyObject *cands = PyDict_New(), *probe = PyList_New(0), *hard = PyList_New(0);
    if (cands == NULL || probe == NULL || hard == NULL)
        goto fail;
    Py_ssize_t pos = 0;
    PyObject *key, *occs;
    while (PyDict_Next(by_key, &pos, &key, &occs)) {
        Py_INCREF(key);
        Py_INCREF(occs);
        int err = classify_key(key, occs, canonical, sequences, least, py_compatible, cands, probe, hard);
        Py_DECREF(key);
        Py_DECREF(occs);
        if (err < 0)
            goto fail;
    }
    return Py_BuildValue("(NNN)", cands, probe, hard);
fail:
    Py_XDECREF(cands);
    Py_XDECREF(probe);
    Py_XDECREF(hard);
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * probing, rare_keys: which candidates near_variants() pairs
 */

/* The total of a candidate (names._total): len(occs) for a list, else the sum of the
 * values of its Group's counts (Group.total). -1 (error) or 0. */
static int
cand_total(PyObject *c, PyObject *counts, Py_ssize_t *total)
{
    if (PyList_Check(c)) {
        *total = PyList_GET_SIZE(c);
        return 0;
    }
    Py_ssize_t pos = 0, sum = 0;
    PyObject *k, *v;
    while (PyDict_Next(counts, &pos, &k, &v)) {
        Py_ssize_t n = PyLong_AsSsize_t(v);
        if (n == -1 && PyErr_Occurred())
            return -1;
        sum += n;
    }
    *total = sum;
    return 0;
}

/* c.counts of a Group (a new reference to a dict), or NULL. */
static PyObject *
group_counts(PyObject *c)
{
    PyObject *counts = PyObject_GetAttrString(c, "counts");
    if (counts != NULL && !PyDict_Check(counts)) {
        PyErr_SetString(PyExc_TypeError, "Group.counts must be a dict");
        Py_CLEAR(counts);
    }
    return counts;
}

static PyObject *
names_probing(PyObject *self, PyObject *args)
{
    PyObject *cands, *probe, *canonical;
    Py_ssize_t least;
    if (!PyArg_ParseTuple(args, "O!O!On:probing", &PyDict_Type, &cands, &PyList_Type, &probe, &canonical, &least))
        return NULL;
    if (!PyAnySet_Check(canonical)) {
        PyErr_SetString(PyExc_TypeError, "probing: canonical must be a set");
        return NULL;
    }
    PyObject *gone = PyList_New(0), *probers = PyList_New(0);
    if (gone == NULL || probers == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(probe); i++) {
        PyObject *k = PyList_GET_ITEM(probe, i);
        Py_INCREF(k);
        PyObject *c = check_str(k, "a key") < 0 ? NULL : PyDict_GetItemWithError(cands, k);
        if (c == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, k);
            Py_DECREF(k);
            goto fail;
        }
        Py_INCREF(c);
        PyObject *counts = NULL;
        int err = 0, keep = 0;
        if (!PyList_Check(c)) {
            counts = group_counts(c);
            if (counts == NULL)
                err = -1;
            else if (PyDict_GET_SIZE(counts) == 0) {
                err = PyList_Append(gone, k);
                goto next;
            }
        }
        if (err == 0) {
            keep = PySet_Contains(canonical, k);
            Py_ssize_t total;
            if (keep == 0) {
                err = cand_total(c, counts, &total);
                keep = total >= least;
            }
            if (keep < 0)
                err = -1;
            else if (keep && err == 0)
                err = PyList_Append(probers, k);
        }
    next:
        Py_XDECREF(counts);
        Py_DECREF(c);
        Py_DECREF(k);
        if (err < 0)
            goto fail;
    }
    return Py_BuildValue("(NN)", gone, probers);
fail:
    Py_XDECREF(gone);
    Py_XDECREF(probers);
    return NULL;
}

/* Is one of the spellings of candidate c (names._spellings) a dictionary word, by the
 * table in_dict or else spelled(f)? 1, 0, or -1. */
static int
spelled_in_dictionary(PyObject *c, PyObject *in_dict, PyObject *spelled)
{
    PyObject *forms;
    if (PyList_Check(c)) {
        if (PyList_GET_SIZE(c) == 0) {
            PyErr_SetString(PyExc_IndexError, "an empty occurrence list");
            return -1;
        }
        PyObject *o = PyList_GET_ITEM(c, 0);
        if (check_occ(o) < 0)
            return -1;
        forms = PyTuple_Pack(1, PyTuple_GET_ITEM(o, O_FORM));
    } else
        forms = group_counts(c);
    if (forms == NULL)
        return -1;
    PyObject *it = PyObject_GetIter(forms);
    Py_DECREF(forms);
    if (it == NULL)
        return -1;
    int found = 0;
    PyObject *f;
    while (found == 0 && (f = PyIter_Next(it)) != NULL) {
        PyObject *v = PyDict_GetItemWithError(in_dict, f);
        if (v != NULL && v != Py_None)
            found = PyObject_IsTrue(v);
        else if (PyErr_Occurred())
            found = -1;
        else {
            v = PyObject_CallOneArg(spelled, f);
            found = v == NULL ? -1 : PyObject_IsTrue(v);
            Py_XDECREF(v);
        }
        Py_DECREF(f);
    }
    Py_DECREF(it);
    if (found == 0 && PyErr_Occurred())
        return -1;
    return found;
}

static PyObject *
names_rare_keys(PyObject *self, PyObject *args)
{
    PyObject *cands, *rare_key, *ignore, *in_dict, *spelled;
    if (!PyArg_ParseTuple(args, "O!O!OO!O:rare_keys", &PyDict_Type, &cands, &PyDict_Type, &rare_key, &ignore,
                          &PyDict_Type, &in_dict, &spelled))
        return NULL;
    PyObject *rare = PyList_New(0);
    if (rare == NULL)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *k, *c;
    while (PyDict_Next(cands, &pos, &k, &c)) {
        Py_INCREF(k);
        Py_INCREF(c);
        int err = 0;
        PyObject *v = PyDict_GetItemWithError(rare_key, k);
        if (v == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, k);
            err = -1;
        } else {
            int keep = PyObject_IsTrue(v);
            if (keep > 0) {
                int ignored = PySequence_Contains(ignore, k);
                keep = ignored < 0 ? -1 : !ignored;
            }
            if (keep > 0) {
                int spelled_ok = spelled_in_dictionary(c, in_dict, spelled);
                keep = spelled_ok < 0 ? -1 : !spelled_ok;
            }
            if (keep < 0 || (keep > 0 && PyList_Append(rare, k) < 0))
                err = -1;
        }
        Py_DECREF(k);
        Py_DECREF(c);
        if (err < 0) {
            Py_DECREF(rare);
            return NULL;
        }
    }
    return rare;
}

/* ---------------------------------------------------------------------------------------
 * near_pairs: the symmetric-delete index of near_variants()
 */

/* A key as its code points (read in place from the str). */
typedef struct {
    PyObject *s; /* borrowed: the caller's lists hold the keys */
    int kind;
    const void *data;
    Py_ssize_t n;
} Word;

static int
word_of(PyObject *s, Word *w)
{
    if (check_str(s, "a key") < 0)
        return -1;
    w->s = s;
    w->kind = PyUnicode_KIND(s);
    w->data = PyUnicode_DATA(s);
    w->n = PyUnicode_GET_LENGTH(s);
    if (w->n == 0) {
        PyErr_SetString(PyExc_IndexError, "an empty key");
        return -1;
    }
    return 0;
}

static inline Py_UCS4
word_at(const Word *w, Py_ssize_t i)
{
    return PyUnicode_READ(w->kind, w->data, i);
}

static inline uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Open-addressing set of word shapes (first letter, last letter or NO_LAST, length), for
 * names._partnered. */
#define NO_LAST 0xFFFFFFFFu

typedef struct {
    Py_UCS4 first, last;
    Py_ssize_t n;
    int used;
} Shape;

typedef struct {
    Shape *slots;
    size_t mask;
} ShapeSet;

static uint64_t
shape_hash(Py_UCS4 first, Py_UCS4 last, Py_ssize_t n)
{
    return mix64(((uint64_t)first << 32 | last) ^ mix64((uint64_t)n));
}

static int
shapes_init(ShapeSet *set, Py_ssize_t count)
{
    size_t cap = 8;
    while (cap < (size_t)count * 2 + 1) {
        if (cap > ((size_t)PY_SSIZE_T_MAX / sizeof(Shape)) / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    set->slots = PyMem_Calloc(cap, sizeof(Shape));
    if (set->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    set->mask = cap - 1;
    return 0;
}

static void
shapes_add(ShapeSet *set, Py_UCS4 first, Py_UCS4 last, Py_ssize_t n)
{
    size_t i = shape_hash(first, last, n) & set->mask;
    while (set->slots[i].used) {
        Shape *s = &set->slots[i];
        if (s->first == first && s->last == last && s->n == n)
            return;
        i = (i + 1) & set->mask;
    }
    set->slots[i].first = first;
    set->slots[i].last = last;
    set->slots[i].n = n;
    set->slots[i].used = 1;
}

static int
shapes_has(const ShapeSet *set, Py_UCS4 first, Py_UCS4 last, Py_ssize_t n)
{
    size_t i = shape_hash(first, last, n) & set->mask;
    while (set->slots[i].used) {
        const Shape *s = &set->slots[i];
        if (s->first == first && s->last == last && s->n == n)
            return 1;
        i = (i + 1) & set->mask;
    }
    return 0;
}

/* names._partnered(keys, others): levels[i] = 2, 1 or 0 (not kept) for keys[i]. 0 or -1. */
static int
partner_levels(const Word *keys, Py_ssize_t n_keys, const Word *others, const Py_ssize_t *which,
               Py_ssize_t n_others, int *levels)
{
    ShapeSet one, two;
    if (n_others > PY_SSIZE_T_MAX / 8) {
        PyErr_NoMemory();
        return -1;
    }
    if (shapes_init(&one, 3 * n_others) < 0)
        return -1;
    if (shapes_init(&two, 5 * n_others) < 0) {
        PyMem_Free(one.slots);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n_others; i++) {
        const Word *w = &others[which != NULL ? which[i] : i];
        Py_UCS4 first = word_at(w, 0), last = word_at(w, w->n - 1);
        for (Py_ssize_t d = -1; d <= 1; d++)
            shapes_add(&one, first, last, w->n + d);
        if (w->n >= 8)
            for (Py_ssize_t d = -2; d <= 2; d++)
                shapes_add(&two, first, NO_LAST, w->n + d);
    }
    for (Py_ssize_t i = 0; i < n_keys; i++) {
        const Word *w = &keys[i];
        Py_UCS4 first = word_at(w, 0);
        if (w->n >= 8 && shapes_has(&two, first, NO_LAST, w->n))
            levels[i] = 2;
        else if (shapes_has(&one, first, word_at(w, w->n - 1), w->n))
            levels[i] = 1;
        else
            levels[i] = 0;
    }
    PyMem_Free(one.slots);
    PyMem_Free(two.slots);
    return 0;
}

/* The deletes of a word (names._deletes): the word itself, then each letter deleted,
 * then (level 2) each pair of letters i < j deleted; each with a polynomial hash mod 2**64
 * computed in O(1) from the prefix hashes (pre[t]: of the first t letters; pw[t] = B**t). */
#define HASH_B 1000003ULL

typedef struct {
    uint64_t h;
    Py_ssize_t word, s1, s2; /* the letters deleted: -1 for none */
} Del;

static void
prefix_hashes(const Word *w, uint64_t *pre)
{
    pre[0] = 0;
    for (Py_ssize_t t = 0; t < w->n; t++)
        pre[t + 1] = pre[t] * HASH_B + (uint64_t)word_at(w, t);
}

/* Hash of w[a:b] */
static inline uint64_t
sub_hash(const uint64_t *pre, const uint64_t *pw, Py_ssize_t a, Py_ssize_t b)
{
    return pre[b] - pre[a] * pw[b - a];
}

static inline uint64_t
del_hash(const uint64_t *pre, const uint64_t *pw, Py_ssize_t n, Py_ssize_t s1, Py_ssize_t s2)
{
    if (s1 < 0)
        return pre[n];
    if (s2 < 0)
        return pre[s1] * pw[n - 1 - s1] + sub_hash(pre, pw, s1 + 1, n);
    return pre[s1] * pw[n - 2 - s1] + sub_hash(pre, pw, s1 + 1, s2) * pw[n - 1 - s2] + sub_hash(pre, pw, s2 + 1, n);
}

/* Are two deletes the same string? */
static int
del_equal(const Word *a, Py_ssize_t a1, Py_ssize_t a2, const Word *b, Py_ssize_t b1, Py_ssize_t b2)
{
    Py_ssize_t la = a->n - (a1 >= 0) - (a2 >= 0), lb = b->n - (b1 >= 0) - (b2 >= 0);
    if (la != lb)
        return 0;
    Py_ssize_t i = 0, j = 0;
    for (Py_ssize_t t = 0; t < la; t++, i++, j++) {
        while (i == a1 || i == a2)
            i++;
        while (j == b1 || j == b2)
            j++;
        if (word_at(a, i) != word_at(b, j))
            return 0;
    }
    return 1;
}

/* How many deletes a word of n letters has at a level, or -1 if too many to count. */
static Py_ssize_t
n_deletes(Py_ssize_t n, int level)
{
    if (level <= 0)
        return 0;
    if (level == 1)
        return n < PY_SSIZE_T_MAX ? n + 1 : -1;
    if (n > 3000000) /* n * (n - 1) / 2 would not fit the memory anyway */
        return -1;
    return 1 + n + n * (n - 1) / 2;
}

typedef struct {
    Del *dels;
    Py_ssize_t n_dels;
    Py_ssize_t *slots; /* index + 1 in dels, 0: empty */
    size_t mask;
    const Word *words;
} Index;

static void
index_add(Index *ix, const Del *d)
{
    size_t i = mix64(d->h) & ix->mask;
    Py_ssize_t at;
    while ((at = ix->slots[i]) != 0) {
        const Del *x = &ix->dels[at - 1];
        if (x->h == d->h && x->word == d->word &&
            del_equal(&ix->words[x->word], x->s1, x->s2, &ix->words[d->word], d->s1, d->s2))
            return; /* the same delete of the same word */
        i = (i + 1) & ix->mask;
    }
    ix->dels[ix->n_dels] = *d;
    ix->slots[i] = ++ix->n_dels;
}

/* Call fn(ctx, s1, s2, h) for each delete of w at level (1 or 2). */
typedef int (*DelFn)(void *ctx, Py_ssize_t s1, Py_ssize_t s2, uint64_t h);

static int
each_delete(const Word *w, int level, uint64_t *pre, const uint64_t *pw, DelFn fn, void *ctx)
{
    Py_ssize_t n = w->n;
    prefix_hashes(w, pre);
    if (fn(ctx, -1, -1, del_hash(pre, pw, n, -1, -1)) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++)
        if (fn(ctx, i, -1, del_hash(pre, pw, n, i, -1)) < 0)
            return -1;
    if (level == 2)
        for (Py_ssize_t i = 0; i < n; i++)
            for (Py_ssize_t j = i + 1; j < n; j++)
                if (fn(ctx, i, j, del_hash(pre, pw, n, i, j)) < 0)
                    return -1;
    return 0;
}

typedef struct {
    Index *ix;
    Py_ssize_t word;
} AddCtx;

static int
add_delete(void *vctx, Py_ssize_t s1, Py_ssize_t s2, uint64_t h)
{
    AddCtx *ctx = vctx;
    Del d = {h, ctx->word, s1, s2};
    index_add(ctx->ix, &d);
    return 0;
}

typedef struct {
    Index *ix;
    const Word *probe;
    Py_ssize_t stamp;   /* marks the rare words found for this probe */
    Py_ssize_t *marks;  /* per rare word: the stamp of the last probe that found it */
    Py_ssize_t *found;  /* the rare words found, in order */
    Py_ssize_t n_found;
} FindCtx;

static int
find_delete(void *vctx, Py_ssize_t s1, Py_ssize_t s2, uint64_t h)
{
    FindCtx *ctx = vctx;
    Index *ix = ctx->ix;
    size_t i = mix64(h) & ix->mask;
    Py_ssize_t at;
    while ((at = ix->slots[i]) != 0) {
        const Del *x = &ix->dels[at - 1];
        if (x->h == h && ctx->marks[x->word] != ctx->stamp &&
            del_equal(&ix->words[x->word], x->s1, x->s2, ctx->probe, s1, s2)) {
            ctx->marks[x->word] = ctx->stamp;
            ctx->found[ctx->n_found++] = x->word;
        }
        i = (i + 1) & ix->mask;
    }
    return 0;
}

/* list(dict.fromkeys(items)) */
static PyObject *
distinct(PyObject *items)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++)
        if (PyDict_SetDefault(d, PyList_GET_ITEM(items, i), Py_None) == NULL) {
            Py_DECREF(d);
            return NULL;
        }
    PyObject *out = PySequence_List(d);
    Py_DECREF(d);
    return out;
}

static PyObject *
names_near_pairs(PyObject *self, PyObject *args)
{
    PyObject *keys, *rare;
    if (!PyArg_ParseTuple(args, "O!O!:near_pairs", &PyList_Type, &keys, &PyList_Type, &rare))
        return NULL;
    /* Each key once, in order (as the dicts of the reference): our own lists (nothing below
     * runs Python code, but the words point into their strs). */
    keys = distinct(keys);
    rare = keys == NULL ? NULL : distinct(rare);
    PyObject *out = NULL;
    Py_ssize_t n_keys = keys == NULL ? 0 : PyList_GET_SIZE(keys), n_rare = rare == NULL ? 0 : PyList_GET_SIZE(rare);
    Word *kw = PyMem_Calloc(n_keys + 1, sizeof(Word)), *rw = PyMem_Calloc(n_rare + 1, sizeof(Word));
    int *klev = PyMem_Calloc(n_keys + 1, sizeof(int)), *rlev = PyMem_Calloc(n_rare + 1, sizeof(int));
    Py_ssize_t *probers = PyMem_Calloc(n_keys + 1, sizeof(Py_ssize_t));
    Py_ssize_t *marks = PyMem_Calloc(n_rare + 1, sizeof(Py_ssize_t));
    Py_ssize_t *found = PyMem_Calloc(n_rare + 1, sizeof(Py_ssize_t));
    uint64_t *pre = NULL, *pw = NULL;
    Index ix = {NULL, 0, NULL, 0, rw};
    if (rare == NULL)
        goto done;
    if (kw == NULL || rw == NULL || klev == NULL || rlev == NULL || probers == NULL || marks == NULL ||
        found == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t longest = 0;
    for (Py_ssize_t i = 0; i < n_keys; i++) {
        if (word_of(PyList_GET_ITEM(keys, i), &kw[i]) < 0)
            goto done;
        if (kw[i].n > longest)
            longest = kw[i].n;
    }
    for (Py_ssize_t i = 0; i < n_rare; i++) {
        if (word_of(PyList_GET_ITEM(rare, i), &rw[i]) < 0)
            goto done;
        if (rw[i].n > longest)
            longest = rw[i].n;
    }
    /* the keys that may pair with a rare key, and the rare keys that may pair with one of those */
    if (partner_levels(kw, n_keys, rw, NULL, n_rare, klev) < 0)
        goto done;
    Py_ssize_t n_probers = 0;
    for (Py_ssize_t i = 0; i < n_keys; i++)
        if (klev[i] > 0)
            probers[n_probers++] = i;
    out = PyList_New(0);
    if (out == NULL || n_probers == 0)
        goto done;
    if (partner_levels(rw, n_rare, kw, probers, n_probers, rlev) < 0)
        goto fail;
    Py_ssize_t n_dels = 0;
    for (Py_ssize_t i = 0; i < n_rare; i++) {
        Py_ssize_t m = n_deletes(rw[i].n, rlev[i]);
        if (m < 0 || n_dels > PY_SSIZE_T_MAX / 4 - m) {
            PyErr_NoMemory();
            goto fail;
        }
        n_dels += m;
    }
    if (n_dels == 0)
        goto done;
    size_t cap = 16;
    while (cap < (size_t)n_dels * 2)
        cap *= 2;
    if ((size_t)longest >= (size_t)PY_SSIZE_T_MAX / sizeof(uint64_t) - 1 ||
        (size_t)n_dels > (size_t)PY_SSIZE_T_MAX / sizeof(Del) || cap > (size_t)PY_SSIZE_T_MAX / sizeof(Py_ssize_t)) {
        PyErr_NoMemory();
        goto fail;
    }
    pre = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    pw = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    ix.dels = PyMem_Malloc(n_dels * sizeof(Del));
    ix.slots = PyMem_Calloc(cap, sizeof(Py_ssize_t));
    ix.mask = cap - 1;
    if (pre == NULL || pw == NULL || ix.dels == NULL || ix.slots == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    pw[0] = 1;
    for (Py_ssize_t t = 1; t <= longest; t++)
        pw[t] = pw[t - 1] * HASH_B;
    for (Py_ssize_t i = 0; i < n_rare; i++) {
        if (rlev[i] == 0)
            continue;
        AddCtx actx = {&ix, i};
        each_delete(&rw[i], rlev[i], pre, pw, add_delete, &actx);
    }
    for (Py_ssize_t p = 0; p < n_probers; p++) {
        const Word *k = &kw[probers[p]];
        FindCtx fctx = {&ix, k, p + 1, marks, found, 0};
        each_delete(k, klev[probers[p]], pre, pw, find_delete, &fctx);
        PyObject *hits = NULL;
        Py_UCS4 first = word_at(k, 0);
        for (Py_ssize_t t = 0; t < fctx.n_found; t++) {
            const Word *r = &rw[found[t]];
            if (word_at(r, 0) != first || (r->n == k->n && del_equal(r, -1, -1, k, -1, -1)))
                continue; /* (near_variants pairs a key with another key of its first letter) */
            if (hits == NULL && (hits = PyList_New(0)) == NULL)
                goto fail;
            if (PyList_Append(hits, r->s) < 0) {
                Py_DECREF(hits);
                goto fail;
            }
        }
        if (hits != NULL) {
            PyObject *pair = Py_BuildValue("(ON)", k->s, hits);
            if (pair == NULL || PyList_Append(out, pair) < 0) {
                Py_XDECREF(pair);
                goto fail;
            }
            Py_DECREF(pair);
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(kw);
    PyMem_Free(rw);
    PyMem_Free(klev);
    PyMem_Free(rlev);
    PyMem_Free(probers);
    PyMem_Free(marks);
    PyMem_Free(found);
    PyMem_Free(pre);
    PyMem_Free(pw);
    PyMem_Free(ix.dels);
    PyMem_Free(ix.slots);
    Py_XDECREF(keys);
    Py_XDECREF(rare);
    return out;
}

/* ---------------------------------------------------------------------------------------
 * select, known_forms: the few words a rule looks at
 */

/* x in table: a dict, a set, or any container. 1, 0, or -1. */
static inline int
contains(PyObject *table, PyObject *x)
{
    if (PyDict_Check(table))
        return PyDict_Contains(table, x);
    if (PyAnySet_Check(table))
        return PySet_Contains(table, x);
    return PySequence_Contains(table, x);
}

static PyObject *
names_select(PyObject *self, PyObject *args)
{
    PyObject *occs, *table;
    Py_ssize_t index;
    if (!PyArg_ParseTuple(args, "O!On:select", &PyList_Type, &occs, &table, &index))
        return NULL;
    if (index < 0) {
        PyErr_SetString(PyExc_ValueError, "select: a negative index");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(occs); i++) {
        PyObject *o = PyList_GET_ITEM(occs, i);
        if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) <= index) {
            PyErr_SetString(PyExc_TypeError, "select: an occurrence must be a tuple with the item asked for");
            Py_DECREF(out);
            return NULL;
        }
        Py_INCREF(o);
        int in = contains(table, PyTuple_GET_ITEM(o, index));
        if (in > 0 && PyList_Append(out, o) < 0)
            in = -1;
        Py_DECREF(o);
        if (in < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *
names_known_forms(PyObject *self, PyObject *args)
{
    PyObject *forms, *seen, *found;
    if (!PyArg_ParseTuple(args, "OO!O!:known_forms", &forms, &PyDict_Type, &seen, &PyDict_Type, &found))
        return NULL;
    PyObject *it = PyObject_GetIter(forms);
    if (it == NULL)
        return NULL;
    PyObject *new = PyList_New(0), *known = PyDict_New(), *f;
    if (new == NULL || known == NULL)
        goto fail;
    while ((f = PyIter_Next(it)) != NULL) {
        int err = 0, in = PyDict_Contains(seen, f);
        if (in < 0)
            err = -1;
        else if (in == 0)
            err = PyList_Append(new, f);
        else {
            PyObject *v = PyDict_GetItemWithError(found, f);
            if (v != NULL)
                err = PyDict_SetItem(known, f, v);
            else if (PyErr_Occurred())
                err = -1;
        }
        Py_DECREF(f);
        if (err < 0)
            goto fail;
    }
    if (PyErr_Occurred())
        goto fail;
    Py_DECREF(it);
    return Py_BuildValue("(NN)", new, known);
fail:
    Py_DECREF(it);
    Py_XDECREF(new);
    Py_XDECREF(known);
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * Module
 */

static PyMethodDef methods[] = {
    {"groups", names_groups, METH_VARARGS,
     "groups(keyed, unsorted, sequences, start) -> (by_key, sequences)\n\n"
     "What NameChecker.groups() does (names._groups, the reference): the occurrences by key\n"
     "(a copy of keyed, plurals joined to their singular), and the keys with a word sequence\n"
     "(a new set). Sorts the lists of the keys in unsorted and of the joined keys in place by\n"
     "start (start: the sort key, itemgetter(START))."},
    {"classify", names_classify, METH_VARARGS,
     "classify(by_key, canonical, sequences, least, compatible) -> (cands, probe, hard)\n\n"
     "What names._classify (the reference) does: sorts the keys of by_key for\n"
     "NameChecker.variants(); see there. compatible: names._compatible, called for\n"
     "spellings that are not ASCII."},
    {"resolved", names_resolved, METH_VARARGS,
     "resolved(classes, canonical, compatible) -> dict\n\n"
     "What names._resolved(classes, canonical) does (classes: a dict whose keys are the\n"
     "classes). compatible: names._compatible, called for spellings that are not ASCII."},
    {"probing", names_probing, METH_VARARGS,
     "probing(cands, probe, canonical, least) -> (gone, probers)\n\n"
     "What names._probing (the reference) does: the keys of probe whose Group has no\n"
     "spelling left, and the others that may be a preferred spelling."},
    {"rare_keys", names_rare_keys, METH_VARARGS,
     "rare_keys(cands, rare_key, ignore, in_dict, spelled) -> list\n\n"
     "What names._rare_keys (the reference) does: the candidates that may be a rare spelling."},
    {"near_pairs", names_near_pairs, METH_VARARGS,
     "near_pairs(keys, rare) -> [(key, [rare key, ...]), ...]\n\n"
     "What names._near_pairs (the reference) does: for each of keys (in order) partnered\n"
     "with a rare key, the other rare keys of its first letter sharing a delete with it\n"
     "(in an unspecified order), if any."},
    {"select", names_select, METH_VARARGS,
     "select(occs, table, index) -> list\n\n"
     "[o for o in occs if o[index] in table], as compress(occs, map(table.__contains__,\n"
     "map(itemgetter(index), occs))) gives it."},
    {"known_forms", names_known_forms, METH_VARARGS,
     "known_forms(forms, seen, found) -> (new, known)\n\n"
     "For Lexicon.spellings_with: the forms not in seen (in the order forms gives them),\n"
     "and {form: found[form]} for the others that are in found."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "names",
                                    "Compiled loops of lintkit.families.consistency.names.", -1, methods};

PyMODINIT_FUNC
PyInit_names(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
