#include "server/api/api_context.hpp"

#include "common/errors.hpp"
#include "server/api/http_answers.hpp"
#include "storage/alert_store.hpp"
#include "storage/kept_polls.hpp"
#include "storage/token_store.hpp"
#include "storage/webhook_store.hpp"

ApiContext::ApiContext(SharedConnection& writer, ReportJobs& jobs, LiveFleet& fleet,
                       Metrics& metrics, const HttpSettings& settings)
    : writer(writer),
      status_reader(writer.path(), Database::Access::read_only),
      tokens(std::make_unique<SqliteTokens>(writer, status_reader)),
      webhooks(std::make_unique<SqliteWebhooks>(writer, status_reader)),
      alerts(std::make_unique<SqliteAlerts>(status_reader)),
      store_edits(std::make_unique<SqliteStoreEdits>(writer)),
      jobs(jobs),
      fleet(fleet),
      metrics(metrics),
      settings(settings),
      answers(settings.answer_cache_bytes),
      downloads(settings.max_downloads) {}

std::shared_ptr<DownloadGate::Ticket> ApiContext::enter_download(std::int64_t stores) {
  if (stores <= kLargeAnswerStores) return nullptr;
  auto ticket = downloads.enter();
  if (!ticket) {
    throw HttpError(503, "too many large downloads at once; try again shortly",
                    {{"Retry-After", "2"}});
  }
  return std::make_shared<DownloadGate::Ticket>(std::move(*ticket));
}

void ApiContext::refuse_deleted_polls(const ReportOptions& options) {
  std::optional<std::string> problem;
  {
    auto reader = status_reader.lock();
    problem = needs_deleted_polls(reader.db(), options);
  }
  if (problem) throw InvalidInput(*problem);
}
