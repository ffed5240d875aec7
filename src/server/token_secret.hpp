// Secrets through OpenSSL. Token secrets: 256 random bits, written base64url
// with a "um_" prefix (so a leaked one is recognisable), and the SHA-256 that
// is all the database keeps of one. Webhook signatures: HMAC-SHA256.
#pragma once

#include <string>

// Throws std::runtime_error when the system's random source fails.
std::string new_token_secret();
// Lower-case hex of SHA-256(secret).
std::string secret_sha256(const std::string& secret);
// Lower-case hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(const std::string& key, const std::string& message);
