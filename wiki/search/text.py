"""Text normalisation shared by indexing-side helpers and query rewriting."""
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: « Ségou » → « segou »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
