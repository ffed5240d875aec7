// What the server's handlers reach the database through, whatever the
// engine: one object per interface (store_engine.hpp for ingests and store
// pages, tokens, webhooks, alerts, store edits, figures), opened together
// for a SQLite path or a PostgreSQL URL. SQLite's share the server's
// connections (a writer, a read-only status reader that never waits behind
// a write, and one for the token checks every request makes); PostgreSQL's
// each have connections of their own.
#pragma once

#include <memory>
#include <string>

#include "storage/alerts.hpp"
#include "storage/database_figures.hpp"
#include "storage/shared_connection.hpp"
#include "storage/store_edits.hpp"
#include "storage/store_engine.hpp"
#include "storage/tokens.hpp"
#include "storage/webhooks.hpp"

class ServerDatabase {
 public:
  virtual ~ServerDatabase() = default;

  // The path or URL it was opened for.
  const std::string& location() const { return location_; }
  // SQLite's connection writes go through (backups copy the file through
  // it); nullptr on PostgreSQL.
  virtual SharedConnection* sqlite_writer() { return nullptr; }

  std::unique_ptr<StoreEngine> engine;
  std::unique_ptr<Tokens> tokens;
  std::unique_ptr<Tokens> auth_tokens;  // the token checks of every request
  std::unique_ptr<Webhooks> webhooks;
  std::unique_ptr<Alerts> alerts;  // GET /alerts, /incidents, a store's incidents
  std::unique_ptr<StoreEdits> store_edits;
  std::unique_ptr<Figures> figures;

 protected:
  explicit ServerDatabase(std::string location) : location_(std::move(location)) {}

 private:
  std::string location_;
};

// Opens the database `db` names, bringing its schema up to date:
// PostgreSQL for a postgresql:// or postgres:// URL, else the SQLite file
// at that path (created if missing). Throws std::runtime_error saying where
// and why, never with a password.
std::unique_ptr<ServerDatabase> open_server_database(const std::string& db);
