// Errors any layer may throw, by what went wrong rather than by protocol:
// the server maps each kind to an HTTP status in one place (http_api.cpp's
// exception handler), the command line prints the message. A fault of the
// database itself (busy, full, I/O) is none of these: it stays the
// SQLite::Exception it is, and is never reported as the client's mistake.
#pragma once

#include <stdexcept>
#include <string>

struct AppError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The input breaks a rule (a name too long, a scope on the wrong role): 400.
struct InvalidInput : AppError {
  using AppError::AppError;
};

// What the input names does not exist: 404.
struct NotFound : AppError {
  using AppError::AppError;
};

// The input clashes with what exists (a name taken): 409.
struct Conflict : AppError {
  using AppError::AppError;
};

// The caller may not touch what it names (an owner asking for another's store): 403.
struct Forbidden : AppError {
  using AppError::AppError;
};
