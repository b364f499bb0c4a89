"""Text normalisation shared by indexing-side helpers and query rewriting."""
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: « Ségou » → « segou »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def light_stem(word: str) -> str:
    """A minimal French stemmer (plurals and feminine endings only), after Lucene's
    FrenchMinimalStemmer; words arrive lower-cased and without accents."""
    if len(word) < 5:
        return word
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word[-1] in "sx":
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2]:
        word = word[:-1]
    return word
