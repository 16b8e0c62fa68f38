"""Golden data for Pretext's pure-Java BERT tokenizer and WordPiece trainer, made with HuggingFace `tokenizers`.

Run from the repository root (HF tokenizers 0.22.2 from the local wheel mirror, nothing from the network):

  python3 -m venv /work/venvs/hf-tok
  /work/venvs/hf-tok/bin/pip install --no-index --find-links /opt/pypi/files tokenizers==0.22.2
  /work/venvs/hf-tok/bin/python bench/reference/bert_golden.py

Writes
  data-prep/src/main/resources/io/pretext/data/text/tokenizer/bert-unicode.txt
      the character classes BertNormalizer and BertPreTokenizer use (HF's own Unicode tables, which are older than the
      JVM's: they keep unassigned code points, and know fewer format characters, punctuation and nonspacing marks) and
      Rust's lower-case mapping, so the Java tokenizer does not depend on the JVM's Unicode version for them;
  data-prep/src/test/resources/io/pretext/data/text/tokenizer/
      uncased-golden.tsv.gz     HF's uncased normalisation of every code point whose result is not the code point itself
                                (a CJK ideograph: not the ideograph between two spaces; removed and whitespace code
                                points excepted: the class table states those);
      vocab-{uncased,cased}.txt HF WordPiece vocabularies trained on corpus.txt (3000 tokens each);
      cases.jsonl.gz            hand-picked and 3000 generated strings with HF's ids under both vocabularies;
      corpus.txt                the synthetic multilingual training corpus (seeded);
      trainer-hf-{uncased,cased}.txt  HF WordPieceTrainer's vocabularies on corpus.txt (vocab 1000, min_frequency 2,
                                limit_alphabet 1000, BertWordPieceTokenizer's defaults). HF numbers the continuing
                                characters ##c in the iteration order of a hash map seeded per process, and breaks ties
                                between equally frequent pairs by those numbers, so its vocabulary (even its token set)
                                changes from run to run; the Java test replays HF's ##c order from this file and must
                                then give exactly this list;
      trainer-tiny-hf.txt       the same on a 4-line corpus small enough to derive by hand.
"""
import gzip, json, os, random, sys, unicodedata
from tokenizers import Tokenizer, normalizers, pre_tokenizers, BertWordPieceTokenizer
from tokenizers.models import WordPiece

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
MAIN = os.path.join(ROOT, 'data-prep/src/main/resources/io/pretext/data/text/tokenizer')
TEST = os.path.join(ROOT, 'data-prep/src/test/resources/io/pretext/data/text/tokenizer')
SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']


def code_points():
    return (cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)


def unicode_table():
    cased = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    lower = normalizers.Lowercase()
    nfd = normalizers.NFD()
    runs, lowers, kept, prev, start, last = [], [], [], None, 0, 0
    for cp in code_points():
        c = chr(cp)
        a = cased.normalize_str(c)
        if a == '':
            k = 'R'   # removed by clean_text: NUL, U+FFFD, control, format, private use (as HF's tables know them)
        elif a == ' ':
            k = 'S'   # whitespace: becomes one space
        elif a == ' ' + c + ' ':
            k = 'C'   # CJK ideograph: surrounded by spaces
        elif len(pre.pre_tokenize_str('a' + c + 'a')) == 3:
            k = 'P'   # punctuation: a word of its own
        elif strip.normalize_str(c) == '':
            k = 'M'   # nonspacing mark: dropped when accents are stripped
        else:
            k = 'K'
        if k != prev or cp != last + 1:
            if prev is not None:
                runs.append((start, last, prev))
            start, prev = cp, k
        last = cp
        l = lower.normalize_str(c)
        if l != c:
            lowers.append((cp, l))
        d = unicodedata.decomposition(c)
        if d and not d.startswith('<') and nfd.normalize_str(c) == c:
            kept.append(cp)   # canonically decomposable in newer Unicode data, but not in HF's NFD
    runs.append((start, last, prev))
    # Surrogates are not code points of any string: join runs across the gap when the class is the same.
    merged = []
    for r in runs:
        if merged and merged[-1][2] == r[2] and merged[-1][1] == 0xD7FF and r[0] == 0xE000:
            merged[-1] = (merged[-1][0], r[1], r[2])
        else:
            merged.append(r)
    with open(os.path.join(MAIN, 'bert-unicode.txt'), 'w', encoding='utf-8') as f:
        f.write('# BERT character classes and lower-case mapping, from HuggingFace tokenizers %s (bench/reference/bert_golden.py).\n'
                % __import__('tokenizers').__version__)
        f.write('# "first last class" (hex, inclusive; classes: R removed, S whitespace, C CJK, P punctuation, M nonspacing mark,'
                ' K other), then "L code point -> lower case", then "N code point": decomposable in Python %s\'s Unicode %s'
                ' but left whole by HF\'s NFD.\n' % (sys.version.split()[0], unicodedata.unidata_version))
        for s, e, k in merged:
            f.write('%x %x %s\n' % (s, e, k))
        for cp, l in lowers:
            f.write('L %x %s\n' % (cp, ' '.join('%x' % ord(x) for x in l)))
        for cp in kept:
            f.write('N %x\n' % cp)
    return {(s, e): k for s, e, k in merged}


def uncased_golden(classes):
    unc = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    ranges = sorted(classes.items())
    n = 0
    with gzip.open(os.path.join(TEST, 'uncased-golden.tsv.gz'), 'wt', encoding='utf-8', compresslevel=9) as f:
        for (s, e), k in ranges:
            if k in 'RS':
                continue
            for cp in range(s, e + 1):
                if 0xD800 <= cp <= 0xDFFF:
                    continue
                out = unc.normalize_str(chr(cp))
                if out != (' %s ' % chr(cp) if k == 'C' else chr(cp)):
                    f.write('%x\t%s\n' % (cp, ' '.join('%x' % ord(x) for x in out)))
                    n += 1
    return n


SENTENCES = [
    "Le café est très chaud, n'est-ce pas ? Élève, garçon, Noël, façade.",
    "Die Straße ist schön; Müller und Söhne GmbH — „Anführungszeichen“.",
    "El niño comió piña en España. ¿Qué tal? ¡Olé!",
    "Ο γρήγορος καφέ σκύλος. Ελλάδα, ΑΘΗΝΑ, ΣΟΦΟΣ.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "我爱自然语言处理。北京是中国的首都，上海很大。",
    "日本語の文章です。カタカナとひらがなと漢字。東京タワー。",
    "한국어 문장입니다. 서울은 대한민국의 수도입니다.",
    "مرحبا بالعالم. هذه جملة عربية.",
    "שלום עולם, זה משפט בעברית.",
    "नमस्ते दुनिया, यह हिंदी वाक्य है।",
    "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
    "Emoji: 😀 👍🏽 👨‍👩‍👧 ❤️ 🇫🇷 ☕ and symbols ∑ ∞ € £ ¥ © ® ™ ° ± ×.",
    "Numbers 3.14159, 1,000,000, 2024-01-31, 42nd, 7½, ①②③, ٣٤٥.",
    "Ligatures ﬁ ﬂ, full-width ＡＢＣ１２３, superscripts x² y³, roman Ⅻ.",
    "URLs like https://example.com/a?b=c&d=e#f and e-mail a.b@c.org.",
    "Code: if (x <= y && z != 0) { return a[i] ^ b | ~c; } // done",
    "Tabs\tand\nnewlines\r\nand  multiple   spaces\u00a0nbsp\u3000ideographic.",
    "Zero\u200bwidth\u200cjoiners\u200dand\u00adsoft\ufeffhyphens.",
    "İstanbul, DİYARBAKIR, ıi, ǅ ǈ ǋ, ẞ ß, Ω Ω, K K, Å Å.",
]


def corpus_lines(seed=7, lines=1500):
    rng = random.Random(seed)
    syl = ['ka', 'lo', 'ri', 'men', 'tor', 'sa', 'vi', 'qu', 'ent', 'ion', 'ing', 'pre', 'de', 'un', 'ly', 'ed',
           'st', 'ph', 'ex', 'ab', 'ou', 'ai', 'ch', 'th', 'ness', 'ful', 'ment', 'co', 'con', 'ré', 'ü', 'ña']
    words = []
    for _ in range(600):
        w = ''.join(rng.choice(syl) for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])))
        if rng.random() < 0.15:
            w = w.capitalize()
        words.append(w)
    weights = [1.0 / (i + 1) for i in range(len(words))]
    out = []
    for i in range(lines):
        n = rng.randint(3, 20)
        toks = rng.choices(words, weights, k=n)
        s = ' '.join(toks)
        if rng.random() < 0.3:
            s += rng.choice(['.', '!', '?', ',', ';', ' -', ' (x)', ' 42', ' 2024'])
        out.append(s)
        if i % 10 == 0:
            out.append(SENTENCES[(i // 10) % len(SENTENCES)])
    return out


def hf_tokenizer(vocab_file, lowercase, added_specials):
    if added_specials:
        return BertWordPieceTokenizer(vocab_file, lowercase=lowercase)
    t = Tokenizer(WordPiece.from_file(vocab_file, unk_token='[UNK]', max_input_chars_per_word=100))
    t.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase)
    t.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return t


HAND = [
    "", " ", "hello", "Hello, world!", "HELLO WORLD", "don't stop-believing...", "a.b,c;d:e!f?g",
    "(parentheses) [brackets] {braces} <angles>", "$100 + 50% = ^~`|\\", "\"quoted\" 'single'",
    "café CAFÉ cafe\u0301 Café", "naïve résumé coöperate", "Ångström Øresund Œuvre æsir",
    "İstanbul ıi I", "ǅungla ǈ", "straße STRASSE ẞ", "ΣΟΦΟΣ σοφος", "ﬁnance ﬂow", "ＡＢＣ１２３",
    "我爱自然语言处理", "北京abc上海", "日本語のテキスト", "カタカナ ｶﾀｶﾅ", "한국어 텍스트", "漢字かな交じり文",
    "😀", "👍🏽", "👨‍👩‍👧", "❤️", "🇫🇷", "hi😀there", "a😀b😀c", "☕coffee",
    "3.14159", "1,000,000", "2024-01-31", "42nd 7½ ①②", "٣٤٥", "x² y³ Ⅻ",
    "unknownword zzzqqqxxx", "qwertyuiopasdfghjklzxcvbnm",
    "a" * 100, "a" * 101, "b" * 150 + " ok", "x" * 99 + "é", "supercalifragilisticexpialidocious" * 3,
    "tab\there", "new\nline", "cr\rlf\r\n", "nbsp\u00a0here", "ideo\u3000space", "em\u2003space", "line\u2028sep",
    "vt\u000bff\u000cnel\u0085", "nul\u0000byte", "bell\u0007esc\u001b", "del\u007f c1\u0080\u009f",
    "zw\u200bsp", "zwj\u200dzwnj\u200c", "soft\u00adhyphen", "bom\ufeffhere", "rep\ufffdlace",
    "private\ue000use", "unassigned\u0378x", "astral\U0001d400\U0001f600", "combining a\u0300\u0301\u0302",
    "hangul \u1100\u1161\u11a8 composed 각", "arabic مرحبا", "hebrew שלום", "devanagari नमस्ते", "thai ภาษาไทย",
    "[MASK] [CLS] [SEP] [PAD] [UNK]", "literal[MASK]inside", "##hash ## #", "@user #tag",
    "https://example.com/a?b=c&d=e#f", "a.b@c.org", "if (x <= y && z != 0) { return a[i]; }",
    "   leading and trailing   ", "many     spaces", "\t\n\r ", "mixed CASE Words",
]


def generated(seed=11, n=3000):
    rng = random.Random(seed)
    vocab_words = [w for line in corpus_lines() for w in line.split()][:5000]
    pools = [
        [chr(c) for c in range(0x21, 0x7f)],
        list("àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝßœŒæÆøØłŁđĐ"),
        [chr(c) for c in range(0x300, 0x370)],                 # combining marks
        [chr(c) for c in range(0x370, 0x3ff) if unicodedata.category(chr(c)) != 'Cn'],
        [chr(c) for c in range(0x400, 0x4ff)],
        [chr(c) for c in range(0x4e00, 0x4e00 + 300)] + [chr(c) for c in range(0xf900, 0xf930)],
        [chr(c) for c in range(0x3040, 0x30ff)] + [chr(c) for c in range(0xff61, 0xff9f)],
        [chr(c) for c in range(0xac00, 0xac00 + 200)] + [chr(c) for c in range(0x1100, 0x1120)],
        [chr(c) for c in range(0x1f300, 0x1f650)] + ['\u200d', '\ufe0f', '\U0001f3fd'],
        [chr(c) for c in range(0x2000, 0x2070)] + ['\u00a0', '\u3000', '\u1680', '\u0085', '\u000b', '\u000c'],
        [chr(c) for c in range(0, 0x20)] + [chr(c) for c in range(0x7f, 0xa0)] + ['\u00ad', '\ufeff', '\ufffd', '\ue000'],
        [chr(c) for c in range(0x2100, 0x2200)] + [chr(c) for c in range(0x2460, 0x24ff)] + [chr(c) for c in range(0xff01, 0xff5f)],
        [chr(c) for c in range(0x600, 0x6ff)] + [chr(c) for c in range(0x900, 0x97f)] + [chr(c) for c in range(0xe00, 0xe5b)],
        [chr(c) for c in range(0x10000, 0x10100)] + [chr(c) for c in range(0x1d400, 0x1d4ff)] + [chr(c) for c in range(0x20000, 0x20050)],
        [chr(c) for c in (0x378, 0x379, 0x380, 0x0870, 0x2e43, 0x2e4f, 0x1abf, 0x10570, 0xa7c0, 0x1f972, 0x1faf0, 0x0d81)],
    ]
    out = []
    for i in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.45:
                w = rng.choice(vocab_words)
                if rng.random() < 0.2:
                    w = w.upper()
                parts.append(w)
            elif r < 0.55:
                parts.append(''.join(rng.choice(pools[0]) for _ in range(rng.randint(1, 4))))
            else:
                pool = rng.choice(pools)
                parts.append(''.join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
            parts.append(rng.choice([' ', ' ', ' ', '', '  ', '\t', '\n', '-', '.']))
        s = ''.join(parts)
        if rng.random() < 0.02:
            s += rng.choice('abcdefgh') * rng.randint(95, 130)
        out.append(s)
    return out


def write_cases(vocabs):
    toks = {case: (hf_tokenizer(vocabs[case], case == 'uncased', False), hf_tokenizer(vocabs[case], case == 'uncased', True))
            for case in ('uncased', 'cased')}
    rows = [('hand', s) for s in HAND] + [('generated', s) for s in generated()]
    literal = [s for s in SPECIALS]
    with gzip.open(os.path.join(TEST, 'cases.jsonl.gz'), 'wt', encoding='utf-8', compresslevel=9) as f:
        for kind, s in rows:
            rec = {'kind': kind, 'text': s}
            for case, (plain, bert) in toks.items():
                ids = plain.encode(s, add_special_tokens=False).ids
                if not any(x in s for x in literal):
                    # BertWordPieceTokenizer (special tokens registered) gives the same ids unless the text spells one.
                    assert bert.encode(s, add_special_tokens=False).ids == ids, (case, s)
                rec[case] = ids
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    return len(rows)


def train_once(corpus, lowercase, vocab_size, out):
    t = BertWordPieceTokenizer(lowercase=lowercase)
    t.train([corpus], vocab_size=vocab_size, min_frequency=2, limit_alphabet=1000, show_progress=False)
    with open(out, 'w', encoding='utf-8') as f:
        vocab = t.get_vocab()
        f.write(''.join(tok + '\n' for tok, _ in sorted(vocab.items(), key=lambda kv: kv[1])))


def main():
    os.makedirs(MAIN, exist_ok=True)
    os.makedirs(TEST, exist_ok=True)
    classes = unicode_table()
    print('classes', len(classes), 'uncased golden', uncased_golden(classes))
    corpus = os.path.join(TEST, 'corpus.txt')
    with open(corpus, 'w', encoding='utf-8') as f:
        f.write('\n'.join(corpus_lines()) + '\n')
    vocabs = {}
    for case in ('uncased', 'cased'):
        vocabs[case] = os.path.join(TEST, 'vocab-%s.txt' % case)
        train_once(corpus, case == 'uncased', 3000, vocabs[case])
        train_once(corpus, case == 'uncased', 1000, os.path.join(TEST, 'trainer-hf-%s.txt' % case))
    tiny = os.path.join('/tmp', 'pretext-trainer-tiny.txt')
    with open(tiny, 'w', encoding='utf-8') as f:
        f.write('low lower lowest\nnewer newest wider\nlow low new\nwide wider widest\n')
    train_once(tiny, True, 30, os.path.join(TEST, 'trainer-tiny-hf.txt'))
    print('cases', write_cases(vocabs))


if __name__ == '__main__':
    main()
