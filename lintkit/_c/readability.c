/* The readability family's per-word and per-sentence loops (lintkit.families.readability).

Each function does, for a whole document per call, what a pure-Python function of
lintkit/families/readability does (the reference; tests/test_c_readability.py compares
them); only integers are computed here, no floating point.

- sentence_columns: metrics._sentence_columns (each sentence's words and packed facts),
  with offline.fast_word_facts for a new ASCII word.
- analyse_columns: the columns and the paragraphs' words of metrics.analyse (_layout_py).
- chars_tokens: metrics._total_chars_tokens (characters and tokens of the sentences).
- hyphen_points: offline._Hyphenation.count (pyphen's hyphenation points of a word).
- new_word_table, word_table_size: the word table sentence_columns fills (a dict's job).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* A word's facts in the table sentence_columns keeps: one int of 64 bits, the fields
   syllables (24 bits), letters (28), polysyllabic (4), complex (4), difficult (4). */
#define SYL_BITS 24
#define LET_BITS 28
#define FLAG_BITS 4
#define LET_SHIFT SYL_BITS
#define POLY_SHIFT (SYL_BITS + LET_BITS)
#define CPLX_SHIFT (POLY_SHIFT + FLAG_BITS)
#define DIFF_SHIFT (CPLX_SHIFT + FLAG_BITS)
#define FIELD(v, shift, bits) (((v) >> (shift)) & ((UINT64_C(1) << (bits)) - 1))

static PyObject *shift32 = NULL;  /* the int 32 */
static PyObject *shift64 = NULL;  /* the int 64 */

/* The packed facts of a word as metrics packs them (_SHIFT = 32): the exact integer
   syl + let*2**32 + poly*2**64 + cplx*2**96 + diff*2**128 (a new reference). */
/* (high << 64) | low, for a new reference ``high`` (stolen, may be NULL: an error is
   passed on) and a 64-bit ``low``: a new reference, or NULL with an exception set. */
static PyObject *
shift_or64(PyObject *high, uint64_t low)
{
    if (high == NULL)
        return NULL;
    PyObject *u = PyNumber_Lshift(high, shift64);
    Py_DECREF(high);
    if (u == NULL)
        return NULL;
    PyObject *t = PyLong_FromUnsignedLongLong(low);
    if (t == NULL) {
        Py_DECREF(u);
        return NULL;
    }
    PyObject *v = PyNumber_Or(u, t);
    Py_DECREF(u);
    Py_DECREF(t);
    return v;
}

static PyObject *
pack_lanes(uint64_t syl, uint64_t let, uint64_t poly, uint64_t cplx, uint64_t diff)
{
    const uint64_t lim = UINT64_C(1) << 32;
    if (syl < lim && let < lim && poly < lim && cplx < lim && diff < lim) {
        uint64_t lo = syl | let << 32, mid = poly | cplx << 32;
        if (diff == 0 && mid == 0)
            return PyLong_FromUnsignedLongLong(lo);
        PyObject *high = diff == 0 ? PyLong_FromUnsignedLongLong(mid)
                                   : shift_or64(PyLong_FromUnsignedLongLong(diff), mid);
        return shift_or64(high, lo);
    }
    /* a field of 2**32 or more: the general sum, ((((diff << 32) + cplx) << 32 + poly) ...) */
    {
        uint64_t lanes[5] = {diff, cplx, poly, let, syl};
        PyObject *v = PyLong_FromUnsignedLongLong(lanes[0]);
        for (int k = 1; k < 5 && v != NULL; k++) {
            PyObject *s = PyNumber_Lshift(v, shift32), *lane;
            Py_DECREF(v);
            if (s == NULL)
                return NULL;
            lane = PyLong_FromUnsignedLongLong(lanes[k]);
            if (lane == NULL) {
                Py_DECREF(s);
                return NULL;
            }
            v = PyNumber_Add(s, lane);
            Py_DECREF(s);
            Py_DECREF(lane);
        }
        return v;
    }
}

/* The table value of the facts tuple (syl, let, poly, cplx, diff) ``res``; 0 with no
   exception set when they do not fit its fields (or are not 5 ints); -1 on error. */
static int
compact_facts(PyObject *res, uint64_t *out)
{
    static const int bits[5] = {SYL_BITS, LET_BITS, FLAG_BITS, FLAG_BITS, FLAG_BITS};
    static const int shifts[5] = {0, LET_SHIFT, POLY_SHIFT, CPLX_SHIFT, DIFF_SHIFT};
    uint64_t v = 0;
    if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 5)
        return 0;
    for (int k = 0; k < 5; k++) {
        PyObject *x = PyTuple_GET_ITEM(res, k);
        int overflow = 0;
        long long n;
        if (!PyLong_Check(x))
            return 0;
        n = PyLong_AsLongLongAndOverflow(x, &overflow);
        if (n == -1 && PyErr_Occurred())
            return -1;
        if (overflow || n < 0 || (uint64_t)n >= (UINT64_C(1) << bits[k]))
            return 0;
        v |= (uint64_t)n << shifts[k];
    }
    *out = v;
    return 1;
}

/* Where sentence_columns gets a word's facts: its table (word -> facts, compact), the
   function asked for a word not there, the table's cap, and for the English ASCII words
   offline.fast_word_facts answers, what it reads (NULL: ``missing`` answers every word). */
#define INLINE_MAX 22  /* (see WordTable below) */
#define WORD_TABLE "lintkit._c.readability.WordTable"
typedef struct WordTable WordTable;

typedef struct {
    PyObject *table, *missing;
    WordTable *words;  /* the table, when it is a WordTable capsule (else NULL: a dict) */
    Py_ssize_t max_cached;
    PyObject *syllables_get;  /* cmudict's syllables: word -> int | None */
    PyObject *easy;  /* the Dale-Chall easy words (a set) */
    PyObject *pyphen;  /* word -> syllables from pyphen (offline._pyphen_syllables) */
} Facts;

/* Parse ``fast`` (None, or (syllables_get, easy, pyphen)) into ``f``, and see whether its
   table is a dict or a WordTable. */
static int
parse_fast(PyObject *fast, Facts *f)
{
    f->syllables_get = f->easy = f->pyphen = NULL;
    f->words = NULL;
    if (PyCapsule_IsValid(f->table, WORD_TABLE)) {
        f->words = PyCapsule_GetPointer(f->table, WORD_TABLE);
        if (f->words == NULL)
            return -1;
    } else if (!PyDict_Check(f->table)) {
        PyErr_SetString(PyExc_TypeError, "table must be a dict or a WordTable (new_word_table())");
        return -1;
    }
    if (fast == NULL || fast == Py_None)
        return 0;
    if (!PyTuple_Check(fast) || PyTuple_GET_SIZE(fast) != 3 || !PyAnySet_Check(PyTuple_GET_ITEM(fast, 1))) {
        PyErr_SetString(PyExc_TypeError, "fast must be None or (syllables_get, easy_words set, pyphen)");
        return -1;
    }
    f->syllables_get = PyTuple_GET_ITEM(fast, 0);
    f->easy = PyTuple_GET_ITEM(fast, 1);
    f->pyphen = PyTuple_GET_ITEM(fast, 2);
    return 0;
}

static int
is_ascii_alpha(Py_UCS1 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* offline.fast_word_facts for an ASCII word, packed as in the table: 1 (answered), 0 (not
   answered here: a non-ASCII word, one fast_word_facts leaves to textstat, or facts that
   do not fit; the caller asks ``missing``), -1 (error). For a word of letters the token
   is the word; for one of visible characters (!-~), textstat's punctuation removal: an
   apostrophe goes unless t, s, d, ve, ll or re follows it, then every character but
   letters, digits, _ and apostrophes; nothing left: no facts. */
static int
ascii_facts(const Facts *f, PyObject *word, uint64_t *out)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(word), m = 0, apostrophes = 0;
    const Py_UCS1 *s;
    Py_UCS1 *low_data;
    PyObject *low, *syl_obj;
    long long syl;
    int all_alpha = n > 0, diff;

    if (f->syllables_get == NULL || !PyUnicode_IS_ASCII(word))
        return 0;
    s = PyUnicode_1BYTE_DATA(word);
    for (Py_ssize_t i = 0; i < n && all_alpha; i++)
        all_alpha = is_ascii_alpha(s[i]);
    if (all_alpha) {
        low = PyUnicode_New(n, 127);
        if (low == NULL)
            return -1;
        low_data = PyUnicode_1BYTE_DATA(low);
        for (Py_ssize_t i = 0; i < n; i++)
            low_data[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
        m = n;
    } else {
        Py_UCS1 *buf;
        if (n == 0)
            return 0;
        for (Py_ssize_t i = 0; i < n; i++)
            if (s[i] < '!' || s[i] > '~')
                return 0;  /* (not all visible: textstat decides) */
        buf = PyMem_Malloc((size_t)n);
        if (buf == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS1 c = s[i];
            if (c == '\'') {
                Py_UCS1 c1 = i + 1 < n ? s[i + 1] : 0, c2 = i + 2 < n ? s[i + 2] : 0;
                int kept = c1 == 't' || c1 == 's' || c1 == 'd' || (c1 == 'v' && c2 == 'e')
                           || (c1 == 'l' && c2 == 'l') || (c1 == 'r' && c2 == 'e');
                if (kept) {
                    buf[m++] = c;
                    apostrophes++;
                }
            } else if (is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_') {
                buf[m++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
            }
        }
        if (m == 0) {
            PyMem_Free(buf);
            *out = 0;  /* all punctuation: no word */
            return 1;
        }
        low = PyUnicode_New(m, 127);
        if (low == NULL) {
            PyMem_Free(buf);
            return -1;
        }
        memcpy(PyUnicode_1BYTE_DATA(low), buf, (size_t)m);
        PyMem_Free(buf);
    }
    syl_obj = PyObject_CallOneArg(f->syllables_get, low);
    if (syl_obj == Py_None) {
        Py_DECREF(syl_obj);
        syl_obj = PyObject_CallOneArg(f->pyphen, low);
    }
    if (syl_obj == NULL) {
        Py_DECREF(low);
        return -1;
    }
    if (!PyLong_Check(syl_obj)) {
        Py_DECREF(syl_obj);
        Py_DECREF(low);
        return 0;
    }
    {
        int overflow = 0;
        syl = PyLong_AsLongLongAndOverflow(syl_obj, &overflow);
        Py_DECREF(syl_obj);
        if (syl == -1 && PyErr_Occurred()) {
            Py_DECREF(low);
            return -1;
        }
        if (overflow)
            syl = -1;  /* (does not fit: below) */
    }
    diff = PySet_Contains(f->easy, low);
    Py_DECREF(low);
    if (diff < 0)
        return -1;
    diff = !diff;
    m -= apostrophes;  /* the letters: the token's length less its apostrophes */
    if (syl < 0 || (uint64_t)syl >= (UINT64_C(1) << SYL_BITS) || (uint64_t)m >= (UINT64_C(1) << LET_BITS))
        return 0;
    *out = (uint64_t)syl | (uint64_t)m << LET_SHIFT | (uint64_t)(syl >= 3) << POLY_SHIFT
           | (uint64_t)(diff && syl >= 3) << CPLX_SHIFT | (uint64_t)diff << DIFF_SHIFT;
    return 1;
}

/* The facts of ``word`` from ``table`` (a miss: ``missing(word)``, kept when the table
   holds fewer than ``max_cached`` words). 1: found; 0: they do not fit (the caller gives
   up); -1: error. */
/* A word table of its own (new_word_table): open addressing over slots that hold an ASCII
   word of 1 to INLINE_MAX characters inline, with its hash and facts, so that a look-up
   reads one slot (a dict reads its index, its entry, the key and the value, each somewhere
   else in memory); any other word is kept in a dict. */

typedef struct {
    Py_hash_t hash;
    uint64_t facts;
    unsigned char len;  /* 0: an empty slot */
    char text[INLINE_MAX + 1];
} Slot;

struct WordTable {
    Slot *slots;
    size_t mask;  /* slots - 1 (a power of two) */
    Py_ssize_t used;
    PyObject *others;  /* a dict: word -> facts (an int), for the other words */
};

static void
word_table_free(PyObject *capsule)
{
    WordTable *t = PyCapsule_GetPointer(capsule, WORD_TABLE);
    if (t == NULL) {
        PyErr_Clear();
        return;
    }
    PyMem_Free(t->slots);
    Py_XDECREF(t->others);
    PyMem_Free(t);
}

static PyObject *
new_word_table(PyObject *self, PyObject *unused)
{
    WordTable *t = PyMem_Malloc(sizeof(WordTable));
    PyObject *capsule;
    if (t == NULL)
        return PyErr_NoMemory();
    t->mask = 1023;
    t->used = 0;
    t->slots = PyMem_Calloc(t->mask + 1, sizeof(Slot));
    t->others = PyDict_New();
    if (t->slots == NULL || t->others == NULL) {
        PyMem_Free(t->slots);
        Py_XDECREF(t->others);
        PyMem_Free(t);
        return PyErr_NoMemory();
    }
    capsule = PyCapsule_New(t, WORD_TABLE, word_table_free);
    if (capsule == NULL) {
        PyMem_Free(t->slots);
        Py_DECREF(t->others);
        PyMem_Free(t);
    }
    return capsule;
}

static PyObject *
word_table_size(PyObject *self, PyObject *capsule)
{
    WordTable *t;
    if (!PyCapsule_IsValid(capsule, WORD_TABLE)) {
        PyErr_SetString(PyExc_TypeError, "word_table_size: not a WordTable");
        return NULL;
    }
    t = PyCapsule_GetPointer(capsule, WORD_TABLE);
    if (t == NULL)
        return NULL;
    return PyLong_FromSsize_t(t->used + PyDict_GET_SIZE(t->others));
}

/* The slot of ``text`` (``len`` ASCII characters, hash ``h``): its own, or the empty one
   where it goes. */
static Slot *
find_slot(const WordTable *t, Py_hash_t h, const char *text, Py_ssize_t len)
{
    size_t i = (size_t)h & t->mask;
    for (;;) {
        Slot *sl = &t->slots[i];
        if (sl->len == 0 || (sl->hash == h && sl->len == len && memcmp(sl->text, text, (size_t)len) == 0))
            return sl;
        i = (i + 1) & t->mask;
    }
}

/* Twice the slots (kept at most half full). 0, or -1 with MemoryError. */
static int
grow(WordTable *t)
{
    size_t n = (t->mask + 1) * 2;
    Slot *old = t->slots, *slots;
    if (n > PY_SSIZE_T_MAX / sizeof(Slot) || (slots = PyMem_Calloc(n, sizeof(Slot))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->slots = slots;
    for (size_t i = 0; i <= t->mask; i++) {
        if (old[i].len) {
            size_t j = (size_t)old[i].hash & (n - 1);
            while (slots[j].len)
                j = (j + 1) & (n - 1);
            slots[j] = old[i];
        }
    }
    t->mask = n - 1;
    PyMem_Free(old);
    return 0;
}

/* The facts of ``word`` from the table (a dict, or a WordTable); -1 when the word is not
   there, 0 when it is (in *out), -2 on error. */
static int
table_get(const Facts *fs, PyObject *word, uint64_t *out)
{
    PyObject *dict = fs->table, *v;
    if (fs->words != NULL) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        if (len > 0 && len <= INLINE_MAX && PyUnicode_IS_ASCII(word)) {
            Py_hash_t h = PyObject_Hash(word);
            Slot *sl;
            if (h == -1)
                return -2;
            sl = find_slot(fs->words, h, (const char *)PyUnicode_1BYTE_DATA(word), len);
            if (sl->len == 0)
                return -1;
            *out = sl->facts;
            return 0;
        }
        dict = fs->words->others;
    }
    v = PyDict_GetItemWithError(dict, word);  /* borrowed */
    if (v == NULL)
        return PyErr_Occurred() ? -2 : -1;
    /* (the table holds only the values this module put there: ints of 64 bits) */
    if (!PyLong_Check(v)) {
        PyErr_SetString(PyExc_TypeError, "sentence_columns: a table value must be an int");
        return -2;
    }
    *out = (uint64_t)PyLong_AsUnsignedLongLongMask(v);
    return PyErr_Occurred() ? -2 : 0;
}

/* Keep the facts of ``word`` in the table while it holds fewer than max_cached words. */
static int
table_put(const Facts *fs, PyObject *word, uint64_t facts)
{
    PyObject *dict = fs->table, *packed;
    int r;
    if (fs->words != NULL) {
        WordTable *t = fs->words;
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        if (t->used + PyDict_GET_SIZE(t->others) >= fs->max_cached)
            return 0;
        if (len > 0 && len <= INLINE_MAX && PyUnicode_IS_ASCII(word)) {
            Py_hash_t h = PyObject_Hash(word);
            Slot *sl;
            if (h == -1)
                return -1;
            if ((size_t)(t->used + 1) * 2 > t->mask + 1 && grow(t) < 0)
                return -1;
            sl = find_slot(t, h, (const char *)PyUnicode_1BYTE_DATA(word), len);
            if (sl->len == 0) {
                sl->hash = h;
                sl->len = (unsigned char)len;
                memcpy(sl->text, PyUnicode_1BYTE_DATA(word), (size_t)len);
                t->used++;
            }
            sl->facts = facts;
            return 0;
        }
        dict = t->others;
    } else if (PyDict_GET_SIZE(dict) >= fs->max_cached) {
        return 0;
    }
    packed = PyLong_FromUnsignedLongLong(facts);
    if (packed == NULL)
        return -1;
    r = PyDict_SetItem(dict, word, packed);
    Py_DECREF(packed);
    return r;
}

static int
word_facts(const Facts *fs, PyObject *word, uint64_t *out)
{
    int r = table_get(fs, word, out);
    if (r == 0)
        return 1;
    if (r == -2)
        return -1;
    {
        PyObject *res;
        int ok;
        Py_INCREF(word);
        ok = ascii_facts(fs, word, out);
        if (ok == 0) {
            res = PyObject_CallOneArg(fs->missing, word);
            if (res == NULL) {
                Py_DECREF(word);
                return -1;
            }
            ok = compact_facts(res, out);
            Py_DECREF(res);
        }
        if (ok == 1 && table_put(fs, word, *out) < 0)
            ok = -1;
        Py_DECREF(word);
        return ok;
    }
}

/* Append a new reference ``v`` to ``list`` (stolen, also on failure). */
static int
append_new(PyObject *list, PyObject *v)
{
    int r;
    if (v == NULL)
        return -1;
    r = PyList_Append(list, v);
    Py_DECREF(v);
    return r;
}

/* sentence_columns' result for ``cols`` (a new reference), None, or NULL on error. */
static PyObject *
columns_of(PyObject *cols, const Facts *fs)
{
    PyObject *words = NULL, *facts = NULL, *with_ph = NULL, *ph_chars = NULL, *ph_words = NULL;
    PyObject *result = NULL;
    Py_ssize_t n = PyList_GET_SIZE(cols);
    int give_up = 0;

    words = PyList_New(n);  /* (items set below; a NULL item is fine in a list freed on an error) */
    facts = PyList_New(n);
    with_ph = PyList_New(0);
    ph_chars = PyList_New(0);
    ph_words = PyList_New(0);
    if (!words || !facts || !with_ph || !ph_chars || !ph_words)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cols) && !give_up; i++) {
        PyObject *col = PyList_GET_ITEM(cols, i), *texts, *ph;
        uint64_t sum[5] = {0, 0, 0, 0, 0};
        Py_ssize_t n_ph, next_ph, k = 0, n_words = 0, n_chars = 0, prev = -1;
        int failed = 0;
        if (!PyTuple_Check(col) || PyTuple_GET_SIZE(col) != 4) {
            PyErr_SetString(PyExc_TypeError, "sentence_columns: each column must be a 4-tuple");
            goto done;
        }
        texts = PyTuple_GET_ITEM(col, 2);
        ph = PyTuple_GET_ITEM(col, 3);
        if (!PyList_Check(texts) || !PyTuple_Check(ph)) {
            PyErr_SetString(PyExc_TypeError, "sentence_columns: texts must be a list, placeholders a tuple");
            goto done;
        }
        Py_INCREF(texts);  /* (held: a miss runs Python code) */
        Py_INCREF(ph);
        n_ph = PyTuple_GET_SIZE(ph);
        /* the placeholder indices: ascending, within the texts; else the Python code decides */
        for (Py_ssize_t m = 0; m < n_ph; m++) {
            PyObject *x = PyTuple_GET_ITEM(ph, m);
            Py_ssize_t at;
            if (!PyLong_Check(x)) {
                give_up = 1;
                break;
            }
            at = PyLong_AsSsize_t(x);
            if (at == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                give_up = 1;
                break;
            }
            if (at <= prev || at >= PyList_GET_SIZE(texts)) {
                give_up = 1;
                break;
            }
            prev = at;
        }
        next_ph = (n_ph && !give_up) ? PyLong_AsSsize_t(PyTuple_GET_ITEM(ph, 0)) : -1;
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(texts) && !give_up; j++) {
            PyObject *word = PyList_GET_ITEM(texts, j);
            uint64_t f = 0;
            int r;
            if (!PyUnicode_Check(word)) {
                PyErr_SetString(PyExc_TypeError, "sentence_columns: a word must be a str");
                failed = 1;
                break;
            }
            if (j == next_ph) {
                n_chars += PyUnicode_GET_LENGTH(word);
                k++;
                next_ph = k < n_ph ? PyLong_AsSsize_t(PyTuple_GET_ITEM(ph, k)) : -1;
                continue;
            }
            r = word_facts(fs, word, &f);
            if (r < 0) {
                failed = 1;
                break;
            }
            if (r == 0) {
                give_up = 1;
                break;
            }
            n_words++;
            sum[0] += FIELD(f, 0, SYL_BITS);
            sum[1] += FIELD(f, LET_SHIFT, LET_BITS);
            sum[2] += FIELD(f, POLY_SHIFT, FLAG_BITS);
            sum[3] += FIELD(f, CPLX_SHIFT, FLAG_BITS);
            sum[4] += FIELD(f, DIFF_SHIFT, FLAG_BITS);
        }
        if (!failed && !give_up && k != n_ph)
            give_up = 1;  /* (the texts shrank under a miss) */
        Py_DECREF(texts);
        Py_DECREF(ph);
        if (failed)
            goto done;
        if (give_up)
            break;
        if (i >= n) {  /* (the list grew under a miss) */
            give_up = 1;
            break;
        }
        {
            PyObject *w = PyLong_FromSsize_t(n_words), *f;
            if (w == NULL)
                goto done;
            PyList_SET_ITEM(words, i, w);
            f = pack_lanes(sum[0], sum[1], sum[2], sum[3], sum[4]);
            if (f == NULL)
                goto done;
            PyList_SET_ITEM(facts, i, f);
        }
        if (n_ph && (append_new(with_ph, PyLong_FromSsize_t(i)) < 0
                     || append_new(ph_chars, PyLong_FromSsize_t(n_chars)) < 0
                     || append_new(ph_words, PyLong_FromSsize_t(n_ph)) < 0))
            goto done;
    }
    if (give_up || PyList_GET_SIZE(cols) != n) {
        result = Py_None;
        Py_INCREF(result);
    } else {
        result = PyTuple_Pack(5, words, facts, with_ph, ph_chars, ph_words);
    }
done:
    Py_XDECREF(words);
    Py_XDECREF(facts);
    Py_XDECREF(with_ph);
    Py_XDECREF(ph_chars);
    Py_XDECREF(ph_words);
    return result;
}

static PyObject *
sentence_columns(PyObject *self, PyObject *args)
{
    PyObject *cols, *fast = NULL;
    Facts fs;

    if (!PyArg_ParseTuple(args, "O!OOn|O:sentence_columns", &PyList_Type, &cols, &fs.table,
                          &fs.missing, &fs.max_cached, &fast)
        || parse_fast(fast, &fs) < 0)
        return NULL;
    return columns_of(cols, &fs);
}

/* A new list of ``n`` copies of the int ``v``. */
static PyObject *
filled_list(Py_ssize_t n, long v)
{
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyLong_FromLong(v);
        if (x == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, x);
    }
    return list;
}

/* list[i] = a new int ``v`` */
static int
set_int(PyObject *list, Py_ssize_t i, Py_ssize_t v)
{
    PyObject *x = PyLong_FromSsize_t(v);
    if (x == NULL)
        return -1;
    return PyList_SetItem(list, i, x);  /* (steals x, also on failure) */
}

static PyObject *
analyse_columns(PyObject *self, PyObject *args)
{
    PyObject *paragraphs, *lazy_kinds, *body_kinds, *word_columns, *fast = NULL;
    Facts fs;
    Py_ssize_t n, n_counted = 0;
    PyObject *kind_name = NULL, *sentences_name = NULL;
    PyObject *sents = NULL, *cols = NULL, *first = NULL, *slots = NULL, *body_words = NULL, *longest = NULL;
    PyObject *counted = NULL, *columns = NULL, *result = NULL;
    char *body = NULL;
    int all_body = 1, give_up = 0;

    if (!PyArg_ParseTuple(args, "O!O!O!OOOn|O:analyse_columns", &PyList_Type, &paragraphs, &PyFrozenSet_Type,
                          &lazy_kinds, &PyFrozenSet_Type, &body_kinds, &word_columns, &fs.table,
                          &fs.missing, &fs.max_cached, &fast)
        || parse_fast(fast, &fs) < 0)
        return NULL;
    n = PyList_GET_SIZE(paragraphs);
    kind_name = PyUnicode_InternFromString("kind");
    sentences_name = PyUnicode_InternFromString("sentences");
    sents = PyList_New(0);
    first = PyList_New(0);
    counted = PyList_New(0);  /* the counted paragraphs' indices */
    body = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (!kind_name || !sentences_name || !sents || !first || !counted || !body) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    if (append_new(first, PyLong_FromLong(0)) < 0)
        goto done;
    /* the sentences of every paragraph but the lazy kinds, and where each one's start */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(paragraphs); i++) {
        PyObject *p = PyList_GET_ITEM(paragraphs, i), *kind, *ss;
        int lazy, is_body;
        Py_INCREF(p);
        kind = PyObject_GetAttr(p, kind_name);
        if (kind == NULL) {
            Py_DECREF(p);
            goto done;
        }
        lazy = PySet_Contains(lazy_kinds, kind);
        is_body = lazy == 0 ? PySet_Contains(body_kinds, kind) : 0;
        Py_DECREF(kind);
        if (lazy < 0 || is_body < 0) {
            Py_DECREF(p);
            goto done;
        }
        if (lazy) {
            Py_DECREF(p);
            continue;
        }
        ss = PyObject_GetAttr(p, sentences_name);
        Py_DECREF(p);
        if (ss == NULL)
            goto done;
        if (!PyList_Check(ss)) {
            Py_DECREF(ss);
            give_up = 1;
            break;
        }
        if (PyList_SetSlice(sents, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, ss) < 0) {
            Py_DECREF(ss);
            goto done;
        }
        Py_DECREF(ss);
        if (n_counted >= n) {  /* (the list grew under an attribute look-up) */
            give_up = 1;
            break;
        }
        body[n_counted++] = (char)is_body;
        all_body &= is_body;
        if (append_new(first, PyLong_FromSsize_t(PyList_GET_SIZE(sents))) < 0
            || append_new(counted, PyLong_FromSsize_t(i)) < 0)
            goto done;
    }
    if (give_up || PyList_GET_SIZE(paragraphs) != n)
        goto none;
    /* each sentence's word columns, then their counts */
    cols = PyList_New(PyList_GET_SIZE(sents));
    if (cols == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(sents); j++) {
        PyObject *c = PyObject_CallOneArg(word_columns, PyList_GET_ITEM(sents, j));
        if (c == NULL)
            goto done;
        PyList_SET_ITEM(cols, j, c);
    }
    columns = columns_of(cols, &fs);
    if (columns == NULL)
        goto done;
    if (columns == Py_None)
        goto none;
    /* per paragraph: its slot among the counted ones, its words (body text only) and the
       words of its longest sentence */
    slots = filled_list(n, -1);
    body_words = filled_list(n, 0);
    longest = filled_list(n, 0);
    if (!slots || !body_words || !longest)
        goto done;
    {
        PyObject *words = PyTuple_GET_ITEM(columns, 0);
        Py_ssize_t a = 0;
        for (Py_ssize_t k = 0; k < n_counted; k++) {
            Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(counted, k));
            Py_ssize_t b = PyLong_AsSsize_t(PyList_GET_ITEM(first, k + 1)), total = 0, most = 0;
            for (Py_ssize_t j = a; j < b; j++) {
                Py_ssize_t w = PyLong_AsSsize_t(PyList_GET_ITEM(words, j));
                if (w == -1 && PyErr_Occurred())
                    goto done;
                total += w;
                if (j == a || w > most)
                    most = w;
            }
            if (set_int(slots, i, k) < 0 || set_int(body_words, i, body[k] ? total : 0) < 0
                || set_int(longest, i, most) < 0)
                goto done;
            a = b;
        }
    }
    result = Py_BuildValue("(OOOOOOO)", sents, columns, first, slots, body_words, longest,
                           all_body ? Py_True : Py_False);
    goto done;
none:
    result = Py_None;
    Py_INCREF(result);
done:
    Py_XDECREF(kind_name);
    Py_XDECREF(sentences_name);
    Py_XDECREF(sents);
    Py_XDECREF(cols);
    Py_XDECREF(first);
    Py_XDECREF(counted);
    Py_XDECREF(columns);
    Py_XDECREF(slots);
    Py_XDECREF(body_words);
    Py_XDECREF(longest);
    PyMem_Free(body);
    return result;
}

/* The non-whitespace characters and the whitespace-separated tokens of ``text``:
   sum(map(len, text.split())) and len(text.split()). */
static void
count_chars_tokens(PyObject *text, Py_ssize_t *chars, Py_ssize_t *tokens)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), c = 0, t = 0;
    int in_token = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *s = (const Py_UCS1 *)data;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (Py_UNICODE_ISSPACE(s[i])) {
                in_token = 0;
            } else {
                c++;
                t += !in_token;
                in_token = 1;
            }
        }
    } else {
        for (Py_ssize_t i = 0; i < n; i++) {
            if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
                in_token = 0;
            } else {
                c++;
                t += !in_token;
                in_token = 1;
            }
        }
    }
    *chars = c;
    *tokens = t;
}

static int
ssize_item(PyObject *list, Py_ssize_t i, Py_ssize_t *out)
{
    PyObject *x = PyList_GET_ITEM(list, i);
    if (!PyLong_Check(x)) {
        PyErr_SetString(PyExc_TypeError, "chars_tokens: expected a list of ints");
        return -1;
    }
    *out = PyLong_AsSsize_t(x);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *
chars_tokens(PyObject *self, PyObject *args)
{
    PyObject *texts, *words, *with_ph, *ph_chars, *ph_words;
    Py_ssize_t n, n_ph, k = 0, next_ph = -1, chars = 0, tokens = 0;

    if (!PyArg_ParseTuple(args, "O!O!O!O!O!:chars_tokens", &PyList_Type, &texts, &PyList_Type, &words,
                          &PyList_Type, &with_ph, &PyList_Type, &ph_chars, &PyList_Type, &ph_words))
        return NULL;
    n = PyList_GET_SIZE(texts);
    n_ph = PyList_GET_SIZE(with_ph);
    if (PyList_GET_SIZE(words) != n || PyList_GET_SIZE(ph_chars) != n_ph || PyList_GET_SIZE(ph_words) != n_ph) {
        PyErr_SetString(PyExc_ValueError, "chars_tokens: columns of different lengths");
        return NULL;
    }
    if (n_ph && ssize_item(with_ph, 0, &next_ph) < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        Py_ssize_t w, c, t, pc = 0, pt = 0;
        if (ssize_item(words, i, &w) < 0)
            return NULL;
        if (i == next_ph) {
            if (ssize_item(ph_chars, k, &pc) < 0 || ssize_item(ph_words, k, &pt) < 0)
                return NULL;
            k++;
            next_ph = -1;
            if (k < n_ph && ssize_item(with_ph, k, &next_ph) < 0)
                return NULL;
            if (next_ph != -1 && next_ph <= i) {
                PyErr_SetString(PyExc_ValueError, "chars_tokens: with_ph must be ascending");
                return NULL;
            }
        }
        if (w == 0)
            continue;  /* a sentence without words counts nothing */
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "chars_tokens: a text must be a str");
            return NULL;
        }
        count_chars_tokens(text, &c, &t);
        c -= pc;
        t -= pt;
        chars += c > 0 ? c : 0;
        tokens += t > 1 ? t : 1;
    }
    if (k != n_ph) {
        PyErr_SetString(PyExc_ValueError, "chars_tokens: with_ph must be ascending indices of the texts");
        return NULL;
    }
    return Py_BuildValue("(nn)", chars, tokens);
}

static PyObject *
hyphen_points(PyObject *self, PyObject *args)
{
    PyObject *trie, *word, *empty = NULL, *result = NULL;
    Py_ssize_t maxlen, reach, left, right, n, size;
    Py_UCS4 *chars = NULL;
    long *refs = NULL;

    if (!PyArg_ParseTuple(args, "O!nnnnU:hyphen_points", &PyDict_Type, &trie, &maxlen, &reach, &left, &right,
                          &word))
        return NULL;
    if (maxlen < 0 || reach < 0 || left < 0 || right < 0) {
        PyErr_SetString(PyExc_ValueError, "hyphen_points: negative bound");
        return NULL;
    }
    n = PyUnicode_GET_LENGTH(word) + 2;  /* ".word." */
    if (reach > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(long) - n - 1)
        return PyErr_NoMemory();
    size = n + reach + 1;
    chars = PyMem_New(Py_UCS4, n);
    refs = PyMem_New(long, size);
    empty = PyUnicode_FromStringAndSize("", 0);
    if (chars == NULL || refs == NULL || empty == NULL) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    chars[0] = chars[n - 1] = '.';
    for (Py_ssize_t i = 0; i + 2 < n; i++)
        chars[i + 1] = PyUnicode_READ_CHAR(word, i);
    for (Py_ssize_t i = 0; i < size; i++)
        refs[i] = 0;
    for (Py_ssize_t i = 0; i < n - 1; i++) {
        PyObject *node = trie;  /* borrowed (the trie holds it) */
        Py_ssize_t stop = maxlen < n - i ? i + maxlen : n;
        for (Py_ssize_t j = i; j < stop; j++) {
            PyObject *ch = PyUnicode_FromOrdinal(chars[j]), *pattern;
            if (ch == NULL)
                goto done;
            if (!PyDict_Check(node)) {
                Py_DECREF(ch);
                PyErr_SetString(PyExc_TypeError, "hyphen_points: a trie node must be a dict");
                goto done;
            }
            node = PyDict_GetItemWithError(node, ch);
            Py_DECREF(ch);
            if (node == NULL) {
                if (PyErr_Occurred())
                    goto done;
                break;
            }
            if (!PyDict_Check(node)) {
                PyErr_SetString(PyExc_TypeError, "hyphen_points: a trie node must be a dict");
                goto done;
            }
            pattern = PyDict_GetItemWithError(node, empty);
            if (pattern == NULL) {
                if (PyErr_Occurred())
                    goto done;
                continue;
            }
            {
                PyObject *values;
                Py_ssize_t offset, nv;
                if (!PyTuple_Check(pattern) || PyTuple_GET_SIZE(pattern) != 2
                    || !PyTuple_Check(PyTuple_GET_ITEM(pattern, 1))) {
                    PyErr_SetString(PyExc_TypeError, "hyphen_points: a pattern must be (offset, values)");
                    goto done;
                }
                offset = PyLong_AsSsize_t(PyTuple_GET_ITEM(pattern, 0));
                if (offset == -1 && PyErr_Occurred())
                    goto done;
                values = PyTuple_GET_ITEM(pattern, 1);
                nv = PyTuple_GET_SIZE(values);
                for (Py_ssize_t m = 0; m < nv; m++) {
                    Py_ssize_t at = i + offset + m;
                    long value = PyLong_AsLong(PyTuple_GET_ITEM(values, m));
                    if (value == -1 && PyErr_Occurred())
                        goto done;
                    if (at < 0 || at >= size) {
                        PyErr_SetString(PyExc_IndexError, "hyphen_points: a pattern reaches past the word");
                        goto done;
                    }
                    if (value > refs[at])
                        refs[at] = value;
                }
            }
        }
    }
    {
        /* sum(r % 2 for r in refs[left + 1:len(word) - right + 2]) (Python's slice bounds) */
        Py_ssize_t lo = left + 1, hi = (n - 2) - right + 2, count = 0;
        if (hi < 0)
            hi += size;
        if (hi < 0)
            hi = 0;
        if (hi > size)
            hi = size;
        if (lo > size)
            lo = size;
        for (Py_ssize_t i = lo; i < hi; i++) {
            long r = refs[i] % 2;
            count += r < 0 ? r + 2 : r;
        }
        result = PyLong_FromSsize_t(count);
    }
done:
    PyMem_Free(chars);
    PyMem_Free(refs);
    Py_XDECREF(empty);
    return result;
}

static PyMethodDef methods[] = {
    {"sentence_columns", sentence_columns, METH_VARARGS,
     "sentence_columns(cols, table, missing, max_cached, fast=None) -> (words, facts, with_ph, ph_chars, ph_words) | None\n\n"
     "metrics._sentence_columns for the sentences whose Sentence.word_columns() are ``cols``:\n"
     "per sentence its non-placeholder words and their packed facts (5 fields of 32 bits, as\n"
     "metrics packs them), and for the sentences with placeholder words (ascending) the\n"
     "characters and the number of those. ``table`` (a WordTable from new_word_table(), or\n"
     "a dict: this function fills it) maps a word to its facts in a 64-bit int of its own; a\n"
     "word not there is asked of ``missing(word)``\n"
     "(-> (syllables, letters, polysyllabic, complex, difficult)) and kept while the table has\n"
     "fewer than ``max_cached`` words. None when a word's facts do not fit that int, or the\n"
     "placeholder indices are not ascending indices of the texts: the Python code decides.\n"
     "``fast`` (optional): (syllables_get, easy_words, pyphen_syllables), what\n"
     "offline.fast_word_facts reads for an English word: with it, a new ASCII word that\n"
     "fast_word_facts answers is answered here the same way (cmudict's syllables, else\n"
     "pyphen's; the easy-word list; textstat's punctuation removal), without ``missing``."},
    {"analyse_columns", analyse_columns, METH_VARARGS,
     "analyse_columns(paragraphs, lazy_kinds, body_kinds, word_columns, table, missing, max_cached, fast=None)\n"
     "-> (sentences, columns, first, slots, body_words, longest, all_body) | None\n\n"
     "What metrics.analyse works out before it makes the Analysis: the sentences of the\n"
     "paragraphs whose kind is not in lazy_kinds (the counted ones), their columns\n"
     "(sentence_columns of word_columns(sentence) for each; table, missing, max_cached, fast as\n"
     "there), where each counted paragraph's sentences start (first, one more at the end),\n"
     "and per paragraph its slot among the counted ones (-1: none), its words when its kind\n"
     "is in body_kinds (else 0) and the words of its longest sentence (0 for none), and\n"
     "whether every counted paragraph is body text. None when a paragraph's sentences are\n"
     "not a list, or sentence_columns gives None: the Python code decides."},
    {"new_word_table", new_word_table, METH_NOARGS,
     "new_word_table() -> WordTable\n\n"
     "An empty word table for sentence_columns and analyse_columns (their ``table``): what a\n"
     "dict of word -> facts would hold, kept so that a look-up of a short ASCII word reads\n"
     "one place in memory."},
    {"word_table_size", word_table_size, METH_O,
     "word_table_size(table) -> int\n\nThe number of words a WordTable holds."},
    {"chars_tokens", chars_tokens, METH_VARARGS,
     "chars_tokens(texts, words, with_ph, ph_chars, ph_words) -> (chars, tokens)\n\n"
     "metrics._total_chars_tokens: over the texts whose sentence has words (words[i] > 0), the\n"
     "non-whitespace characters and the whitespace-separated tokens (str.split()), less those\n"
     "of the placeholder words of the sentences with_ph (ascending; ph_chars, ph_words), at\n"
     "least 0 characters and 1 token a sentence."},
    {"hyphen_points", hyphen_points, METH_VARARGS,
     "hyphen_points(trie, maxlen, reach, left, right, word) -> int\n\n"
     "offline._Hyphenation.count: the hyphenation points pyphen gives ``word`` (lower case),\n"
     "from the patterns' trie (char -> node; a node's '' entry is (offset, values))."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "readability", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_readability(void)
{
    PyObject *m;
    if (shift32 == NULL && (shift32 = PyLong_FromLong(32)) == NULL)
        return NULL;
    if (shift64 == NULL && (shift64 = PyLong_FromLong(64)) == NULL)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
