"""Japanese morphological analysis: SudachiPy with the SudachiDict core edition, loaded once per process.

Why Sudachi (core): its normalised forms fold the spelling variants users write (子ども/子供/こども →
子供, つながり/繋がり → 繋がり, 楽しめる → 楽しむ, ｺｿﾀﾞﾃ → コソダテ), which Janome's IPADIC and
fugashi's unidic-lite do only in part; the core dictionary keeps words such as 後見人, 居場所 and
高齢者 whole (the small edition splits them); it analyses about as fast as MeCab. The dictionary is
a PyPI package (no download at run time) and the process grows by about 85 MB when it loads.

Everything here works on plain strings; callers decide what to store.
"""

import functools
import threading
import unicodedata

from core.japanese import kata_to_hira, normalize

# Sudachi refuses inputs longer than about 16 KB of UTF-8; lines are analysed in pieces below that.
_CHUNK = 4000
# Words that say nothing about a topic (normalised forms): formal nouns, light verbs, generic adjectives.
_STOP = frozenset(
    "事 物 為 様 所 方 等 中 時 上 下 内 外 他 後 前 皆 皆さん 各 毎 度 際 点 場合 ため 訳 筈 以上 以下 以外 "
    "為る 居る 有る 在る 成る 出来る 行う 思う 言う 考える 行く 来る 見る 致す 頂く 下さる 御座る 貰う 呉れる "
    "良い 無い 多い 少ない 易い 難い 欲しい 宜しい 色々 様々 よう こと もの とき ところ 作り 一緒".split()
)
_NOUN_SKIP = {"数詞", "代名詞"}
_ADVERBIAL = "副詞可能"
_WORD_FORMS = ("終止形", "連体形")
_CONTINUATIVE = "連用形-一般"
# A kanji query matches by its reading too only when the reading has this many kana: 市長 (しちょう)
# would also find 視聴, 子育て (こそだて) finds nothing else.
READING_MIN = 4


@functools.cache
def _dictionary():
    from sudachipy import Dictionary  # imported here: processes that never analyse text do not load it

    return Dictionary(dict="core")


_local = threading.local()


def _tokenizer():
    """One tokenizer per thread (a Sudachi tokenizer keeps state while it runs); one dictionary per process."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = _dictionary().tokenizer(
            SplitMode.C, fields={"pos", "normalized_form", "reading_form"}
        )
    return tokenizer


def tokens(text: str):
    """(surface, normalised form, part of speech tuple, reading in katakana) of every morpheme."""
    tokenizer = _tokenizer()
    for line in (text or "").splitlines():
        for start in range(0, len(line), _CHUNK):
            for m in tokenizer.tokenize(line[start : start + _CHUNK]):
                yield m.surface(), m.normalized_form(), m.part_of_speech(), m.reading_form()


def _is_noun(pos) -> bool:
    if pos[0] == "名詞":
        return pos[1] not in _NOUN_SKIP and pos[2] != _ADVERBIAL
    return pos[0] == "接尾辞" and pos[1] == "名詞的"


def _key(norm: str) -> str:
    return unicodedata.normalize("NFKC", norm).lower()


def content_words(text: str) -> dict[str, str]:
    """The content words of a text: {normalised key: the words as the text writes them}.

    A run of nouns is one compound (市民後見人, 子ども食堂) and each of its nouns counts too, so that
    市民後見人 meets 後見人; verbs and adjectives count by their dictionary form (楽しめる → 楽しむ).
    Keys are Sudachi's normalised forms, so spelling variants share one key. Every value is a run of
    whole tokens of the text, or "" for a verb seen only in a form that does not read as a word.
    """
    return _words([tokens(line) for line in (text or "").splitlines()])


def _words(lines) -> dict[str, str]:
    """content_words of a text given as the tokens of each of its lines."""
    words: dict[str, str] = {}

    def add(key, surface):
        if len(key) >= 2 and key not in _STOP and not key.isdigit() and not words.get(key):
            words[key] = surface

    run: list[tuple[str, str]] = []

    def close_run():
        if len(run) > 1:
            add(_key("".join(n for _s, n in run)), "".join(s for s, _n in run))
        for surface, norm in run:
            add(_key(norm), surface)
        run.clear()

    for line in lines:  # a compound never spans two lines (a title and a body)
        line = list(line)
        for i, (surface, norm, pos, _reading) in enumerate(line):
            if _is_noun(pos) or (pos[0] == "接頭辞" and not run):
                run.append((surface, norm))
                continue
            if _is_verbal_noun(pos, line[i - 1] if i else None, line[i + 1] if i + 1 < len(line) else None, run):
                # 読み聞かせ of 朝の読み聞かせ, はなし of おはなし会: the noun as written, so it meets the noun.
                run.append((surface, surface))
                continue
            close_run()
            if pos[0] in ("動詞", "形容詞") and pos[1] != "非自立可能":
                # Only a form that reads as a word (楽しめる, 取り組む) is named in reasons; 担っ (of 担って)
                # still counts, unnamed.
                add(_key(norm), surface if pos[5].startswith(_WORD_FORMS) else "")
        close_run()
    return words


def _is_verbal_noun(pos, before, after, run) -> bool:
    """Whether a verb's continuative form is used as a noun (連用形名詞): inside a compound (おはなし会),
    after の (朝の読み聞かせ) or before a noun or a case particle (読み聞かせを)."""
    if pos[0] != "動詞" or pos[1] == "非自立可能" or pos[5] != _CONTINUATIVE:
        return False
    if run or (before and before[0] == "の" and before[2][1] == "格助詞"):
        return True
    return bool(after) and (_is_noun(after[2]) or (after[2][1] == "格助詞" and after[0] != "と"))


def reading(text: str) -> str:
    """The reading of a text in hiragana, as the dictionary reads it (子育て支援課 → こそだてしえんか)."""
    out = []
    for surface, _norm, pos, kana in tokens(text):
        out.append(surface if pos[0] in ("補助記号", "空白") or not kana else kana)
    return kata_to_hira("".join(out))


def name_reading(text: str) -> str:
    """A よみがな suggestion for a name: the reading, kept to hiragana and ー (what reading fields accept)."""
    return "".join(ch for ch in reading(unicodedata.normalize("NFKC", text or "")) if is_reading_char(ch))


def is_reading_char(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096" or ch == "ー"


def search_text(*texts: str) -> str:
    """The stored search column of a record: for each text, its normalised surface, its reading, and
    the dictionary forms of its words that the surface does not already contain (子ども → 子供,
    楽しめる → 楽しむ), all joined by | so that no query word matches across two of them. Kept this short
    because every search reads the whole column."""
    parts = []
    for text in texts:
        text = str(text or "")
        surface = normalize(text)
        lines = [list(tokens(line)) for line in text.splitlines()]
        read = normalize("".join(kana or s for line in lines for s, _n, _p, kana in line))
        forms = (normalize(k) for k in _words(lines))
        parts += [surface, read, " ".join(dict.fromkeys(f for f in forms if f not in surface))]
    return "|".join(parts)


def query_forms(word: str) -> tuple[str, ...]:
    """The forms a search word may take in a search column: as typed (normalised); for a word not
    written in kana only, its dictionary normalised form (子ども → 子供) and, when it is long enough not to
    be a common homophone, its reading (子育て → こそだて, which finds 子育て written in kana). A kana word
    meets the readings as typed."""
    typed = normalize(word)
    if not typed:
        return ()
    if all(is_reading_char(ch) for ch in typed):
        return (typed,)
    analysed = list(tokens(word))
    normalised = normalize("".join(n for _s, n, _p, _k in analysed))
    read = normalize("".join(kana for _s, _n, _p, kana in analysed))
    if len(read) < READING_MIN or not all(is_reading_char(ch) for ch in read):
        read = ""
    forms = list(dict.fromkeys(f for f in (typed, normalised, read) if f))
    # A form containing another adds nothing (子育 finds every 子育て): drop it, one substring test less.
    return tuple(f for f in forms if not any(other != f and other in f for other in forms))
