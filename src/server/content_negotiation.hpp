// Content negotiation by RFC 9110 §12.5.1: which of CSV and JSON a client's
// Accept header prefers. Pure: text in, answer out.
#pragma once

#include <string_view>

// The q-value (0 to 1) `accept` gives `media_type` ("text/csv"): the most
// specific matching range decides (type/subtype, then type/*, then */*);
// a header that is empty gives every type 1, one that names none of them 0.
double accept_quality(std::string_view accept, std::string_view media_type);

// JSON only when the client prefers it strictly over CSV; equal preference
// (`*/*`, axios' "application/json, text/plain, */*") keeps the CSV.
bool prefers_json(std::string_view accept);

// Whether an Accept-Encoding header (RFC 9110 §12.5.3) takes gzip: named with
// q > 0, or "*" with q > 0 when gzip is not named. No header: identity only.
bool accepts_gzip(std::string_view accept_encoding);
