// Small text helpers shared by every layer: ASCII case folding, trimming,
// UTF-8 validity, and making client bytes safe to print in a log line.
#pragma once

#include <string>
#include <string_view>

// `text` with ASCII letters in lower case: how names are compared.
std::string ascii_lower(std::string_view text);

// `text` without the spaces and tabs at either end (HTTP's optional whitespace).
std::string_view trim_blanks(std::string_view text);

// Equal when ASCII letters are folded to lower case (header and column names).
bool equals_ignoring_case(std::string_view a, std::string_view b);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` for a one-line log: control characters (CR, LF, tab, ...) and bytes
// that are not UTF-8 become \xNN, so a client cannot start a line of its own.
std::string printable(std::string_view text);
