"""The exact text a SPARQL query or update runs as, decided before any parser reads it.

The SPARQL 1.1 lexical rules, applied once: codepoint escapes (\\uXXXX, \\UXXXXXXXX) are
decoded over the whole text (SPARQL 1.1 section 19.2), the text is cut into the grammar's
terminals, and it is re-emitted as those tokens, one space wherever white space or a comment
stood. Both parsers (rdflib's check and Oxigraph, which runs it) then read that same text: there is
no comment, line end or escape left on which they could disagree. On the tokens, every
SERVICE must name an allowed absolute IRI, LOAD is refused, and nesting is bounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import Refused

MAX_DEPTH = 128  # nested { ( [ : far beyond real queries, far below what crashes a parser

# The words of SPARQL 1.1 (keywords and built-in functions); any other bare word is refused,
# because Oxigraph reads keywords without a word boundary ("trueSERVICE" is true, SERVICE).
KEYWORDS = frozenset(w.upper() for w in """
    BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM NAMED GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE
    COPY INSERT DATA DELETE WITH USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS
    UNION FILTER A IN NOT EXISTS STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS
    CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS
    STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5
    SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL
    ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRUE FALSE
""".split())
# keywords after which Oxigraph would fetch a URL: a prefixed name may not begin with them
NETWORK_KEYWORDS = ("SERVICE", "LOAD")

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_EXP = r"[eE][+-]?[0-9]+"
_ECHAR = r"\\[tbnrf\\\"']"

# (kind, pattern), tried in this order at each position: longer terminals first
_TERMINALS = [
    ("ws", r"[\x20\x09\x0D\x0A]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"),
    ("string", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'),
    ("string", rf"'(?:[^'\\\n\r]|{_ECHAR})*'"),
    ("string", rf'"(?:[^"\\\n\r]|{_ECHAR})*"'),
    ("iri", r'<[^<>"{}|^`\\\x00-\x20]*>'),
    ("pname", f"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("bnode", f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("var", f"[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", rf"[+-]?(?:[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+)"),
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/^|?]"),
]
_LEXER = re.compile("|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(_TERMINALS)))
_KINDS = [kind for kind, _ in _TERMINALS]
# characters on which other parsers end a comment (or a line): a comment may not hold them
_LINE_ENDS = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x85\u2028\u2029]")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))|\\.", re.DOTALL)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class Token:
    kind: str  # ws and comment never appear: see tokens()
    text: str
    start: int  # offset in the decoded text
    spaced: bool = False  # white space or a comment came before it


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "") or {"\x0b": "VERTICAL TAB", "\x0c": "FORM FEED", "\x85": "NEXT LINE"}.get(char, "")
    return f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")


def decode_escapes(text: str) -> str:
    """Decode \\uXXXX and \\UXXXXXXXX once over the whole text (SPARQL 1.1, 19.2); refuse
    (400) a text in which a codepoint escape is left, which a second pass would change."""

    def replace(match: re.Match) -> str:
        digits = match.group(1) or match.group(2)
        if digits is None:
            return match.group(0)  # another escape (\n, \\ ...): kept for the string rules
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)  # not a character: left, and refused below
        return chr(code)

    decoded = _ESCAPE.sub(replace, text)
    left = re.search(r"\\[uU]", decoded)
    if left:
        raise Refused(400, f"malformed SPARQL: a \\u or \\U escape is left at {_where(decoded, left.start())} after "
                           "decoding the codepoint escapes once; write the character itself")
    return decoded


def tokens(text: str) -> list[Token]:
    """The terminals of a decoded text, white space and comments left out; refuse (400) a
    character that no terminal takes (form feed, vertical tab, NEL, U+2028 ... outside strings),
    and nesting deeper than MAX_DEPTH as soon as it is seen."""
    found: list[Token] = []
    position = depth = 0
    spaced = False
    while position < len(text):
        match = _LEXER.match(text, position)
        if match is None:
            raise Refused(400, f"malformed SPARQL: the character {_char_name(text[position])} at "
                               f"{_where(text, position)} is not allowed there")
        kind = _KINDS[int(str(match.lastgroup)[1:])]
        if kind == "comment":
            bad = _LINE_ENDS.search(match.group())
            if bad:
                at = position + bad.start()
                raise Refused(400, f"malformed SPARQL: the character {_char_name(text[at])} in a comment at "
                                   f"{_where(text, at)} is refused: parsers disagree where such a comment ends")
        if kind in ("ws", "comment"):
            spaced = True
        else:
            found.append(Token(kind, match.group(), position, spaced))
            spaced = False
            if kind == "punct" and match.group() in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:  # at once: a flood of deep queries costs a few tokens each
                    raise Refused(400, f"the query nests {{ ( [ more than {MAX_DEPTH} deep "
                                       f"(at {_where(text, position)}): refused")
            elif kind == "punct" and match.group() in _CLOSE:
                depth = max(0, depth - 1)
        position = match.end()
    return found


def _refuse_service(endpoint: str, why: str) -> Refused:
    return Refused(403, f"SERVICE {endpoint} is refused: {why}; this endpoint calls only the endpoints its "
                        "operator allowed (kg serve --allow-service URL)")


def check(found: list[Token], text: str, allowed_services: frozenset[str] = frozenset()) -> None:
    """Refuse what the tokens show: a SERVICE whose endpoint is not an allowed absolute IRI
    (403), LOAD (403), an unknown word or a prefixed name that begins with SERVICE or LOAD (400),
    nesting deeper than MAX_DEPTH (400)."""
    depth = 0
    for i, token in enumerate(found):
        if token.kind == "punct" and token.text in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(400, f"the query nests {{ ( [ more than {MAX_DEPTH} deep "
                                   f"(at {_where(text, token.start)}): refused")
        elif token.kind == "punct" and token.text in _CLOSE:
            depth = max(0, depth - 1)
        elif token.kind == "word":
            word = token.text.upper()
            if word not in KEYWORDS:
                raise Refused(400, f"malformed SPARQL: unknown word {token.text!r} at {_where(text, token.start)}")
            if word == "LOAD":
                raise Refused(403, "LOAD is refused: this endpoint does not fetch URLs; load data with `kg load`")
            if word == "SERVICE":
                following = found[i + 1: i + 3]
                if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
                    following = following[1:]
                if not following:
                    raise Refused(400, "malformed SPARQL: SERVICE without an endpoint")
                target = following[0]
                if target.kind == "var":
                    raise _refuse_service(target.text, "a variable endpoint is never called")
                if target.kind != "iri":
                    raise _refuse_service(target.text, "name the endpoint by its full <IRI>")
                iri = target.text[1:-1]
                if not _ABSOLUTE.match(iri):
                    raise _refuse_service(target.text, "a relative IRI (resolved against BASE) is never called")
                if iri not in allowed_services:
                    raise _refuse_service(target.text, "not on the allow-list")
        elif token.kind == "pname":
            prefix = token.text.split(":", 1)[0].upper()
            if prefix.startswith(NETWORK_KEYWORDS):
                raise Refused(400, f"malformed SPARQL: the prefixed name {token.text!r} at "
                                   f"{_where(text, token.start)} begins with a keyword (SERVICE, LOAD) "
                                   "that a parser may read apart: rename the prefix")


def normalise(sparql: str, allowed_services: frozenset[str] = frozenset()) -> str:
    """The text to run: escapes decoded, checked token by token (see check), re-emitted as
    its tokens, one space where white space or a comment stood. Raises Refused (400 or 403)."""
    text = decode_escapes(sparql)
    found = tokens(text)
    check(found, text, allowed_services)
    return _emit(found)


def _emit(found: list[Token]) -> str:
    # tokens keep their adjacency (rdflib reads "( p ) *" and "(p)*" apart), lose everything else
    return "".join((" " if t.spaced and i else "") + t.text for i, t in enumerate(found))


def nesting_depth(sparql: str) -> int:
    """How deep { ( [ nest in a query, read by the SPARQL terminals when they apply (so that
    brackets in strings and comments do not count), else by its characters."""
    try:
        found = [t.text for t in tokens(decode_escapes(sparql)) if t.kind == "punct"]
    except Refused:
        found = list(sparql)
    depth = deepest = 0
    for char in found:
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return deepest


@lru_cache(maxsize=512)  # the SERVICE check and the dataset's FROM clauses read the same query
def rdflib_query(sparql: str):
    """rdflib's reading of a query (a translated Query with its algebra), parsed once per text.
    Raises what pyparsing or rdflib raise when the query cannot be read."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(sparql))
