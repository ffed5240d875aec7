#include "storage/server_database.hpp"

#include "storage/alert_store.hpp"
#include "storage/postgresql/pg_alerts.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_figures.hpp"
#include "storage/postgresql/pg_store_edits.hpp"
#include "storage/postgresql/pg_tokens.hpp"
#include "storage/postgresql/pg_webhooks.hpp"
#include "storage/token_store.hpp"
#include "storage/webhook_store.hpp"

namespace {

class SqliteServerDatabase : public ServerDatabase {
 public:
  explicit SqliteServerDatabase(const std::string& path)
      : ServerDatabase(path),
        writer_(path),  // creates or migrates the schema
        status_reader_(path, Database::Access::read_only),
        auth_reader_(path, Database::Access::read_only) {
    // An hourly batch touches a page of every store: mapped, those pages
    // would stay in the server's memory; read into the writer's bounded
    // cache instead.
    writer_.lock().db().set_map_bytes(0);
    engine = sqlite_store_engine(writer_, status_reader_);
    tokens = std::make_unique<SqliteTokens>(writer_, status_reader_);
    auth_tokens = std::make_unique<SqliteTokens>(writer_, auth_reader_);
    webhooks = std::make_unique<SqliteWebhooks>(writer_, status_reader_);
    alerts = std::make_unique<SqliteAlerts>(status_reader_);
    store_edits = std::make_unique<SqliteStoreEdits>(writer_);
    figures = std::make_unique<SqliteFigures>(status_reader_);
  }

  SharedConnection* sqlite_writer() override { return &writer_; }

 private:
  SharedConnection writer_;
  SharedConnection status_reader_;  // health, metrics and lists: never behind a write
  SharedConnection auth_reader_;
};

class PgServerDatabase : public ServerDatabase {
 public:
  explicit PgServerDatabase(const std::string& url) : ServerDatabase(url) {
    engine = open_store_engine(url);  // migrates the schema first
    tokens = std::make_unique<PgTokens>(url);
    auth_tokens = std::make_unique<PgTokens>(url);
    webhooks = std::make_unique<PgWebhooks>(url);
    alerts = std::make_unique<PgAlerts>(url);
    store_edits = std::make_unique<PgStoreEdits>(url);
    figures = std::make_unique<PgFigures>(url);
  }
};

}  // namespace

std::unique_ptr<ServerDatabase> open_server_database(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgServerDatabase>(db);
  return std::make_unique<SqliteServerDatabase>(db);
}
