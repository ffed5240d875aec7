// Token secrets: 256 random bits from OpenSSL, written base64url with a "um_"
// prefix (so a leaked one is recognisable), and the SHA-256 that is all the
// database keeps of one.
#pragma once

#include <string>

// Throws std::runtime_error when the system's random source fails.
std::string new_token_secret();
// Lower-case hex of SHA-256(secret).
std::string secret_sha256(const std::string& secret);
