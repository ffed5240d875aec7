#include "server/api/api_context.hpp"

#include "common/errors.hpp"
#include "server/api/http_answers.hpp"

ApiContext::ApiContext(ServerDatabase& db, ReportJobs& jobs, LiveFleet& fleet, Metrics& metrics,
                       const HttpSettings& settings)
    : db(db),
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
  if (const auto problem = db.engine->cannot_report(options)) throw InvalidInput(*problem);
}
