// canopee: one binary, several subcommands. `canopee --help` lists them.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "adapters/clock.hpp"
#include "adapters/db/cpv_repository.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/migrations.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/read_routing.hpp"
#include "adapters/db/threshold_repository.hpp"
#include "adapters/formats/open_data.hpp"
#include "adapters/formats/price_index_csv.hpp"
#include "adapters/mail/smtp.hpp"
#include "adapters/security/tokens.hpp"
#include "api/app.hpp"
#include "api/server.hpp"
#include "api/services.hpp"
#include "cli/listen_address.hpp"
#include "cli/sweeper.hpp"
#include "usecases/cpv_import.hpp"
#include "usecases/demo_data.hpp"
#include "usecases/documents.hpp"
#include "usecases/finance_tables.hpp"
#include "usecases/needs_import.hpp"
#include "usecases/orders_import.hpp"
#include "usecases/price_revision.hpp"
#include "usecases/reports.hpp"
#include "usecases/sign_in.hpp"
#include "usecases/splitting_view.hpp"
#include "usecases/thresholds_in_force.hpp"

namespace {

using namespace canopee;

struct CommonOptions {
  std::string database_url{db::kDefaultDatabaseUrl};
  std::string log_level = "info";
};

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::size_t io_threads = 2;
  std::size_t workers = 0;            // 0: twice the cores
  std::size_t async_connections = 2;  // PostgreSQL connections of the fast reads; 0: none
  std::size_t body_limit = 1024 * 1024;
  std::size_t max_connections = 4096;
  unsigned read_timeout_ms = 30'000;
  unsigned shutdown_grace_ms = 10'000;
  std::string web_root;                 // empty: web/dist beside the working directory or the binary
  std::size_t auth_failure_limit = 20;  // bad tokens per client address and minute
  std::size_t max_connections_per_address = 256;
  std::size_t max_large_bodies = 4;
  std::string trusted_proxies;      // addresses/CIDRs whose X-Forwarded-For is believed
  std::string metrics_token;        // empty: /metrics for clients on this machine only
  std::string public_url;           // empty: http://LISTEN
  int sweep_interval_s = 300;       // the notifications sweep; 0: none (run it from cron)
  std::string read_database;        // a PostgreSQL streaming standby for reads; empty: none
  double read_max_lag_s = 5;        // the staleness a read from the standby may have at most
  double read_cache_max_age_s = 0;  // how long the busiest lists' answers are kept (0: not kept)
};

// Where the built web application is: --web-root, else ./web/dist, else
// <binary>/../web/dist (a build tree), else /usr/share/canopee/web (a package).
std::filesystem::path find_web_root(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ignored;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", ignored);
  for (const auto& candidate : {std::filesystem::path("web/dist"), binary.parent_path().parent_path() / "web/dist",
                                std::filesystem::path("/usr/share/canopee/web")})
    if (std::filesystem::is_regular_file(candidate / "index.html", ignored)) return candidate;
  return {};
}

void configure_logging(const std::string& level) {
  // Logs go to stderr: stdout is kept for what scripts capture (tokens, URLs, reports).
  auto logger = spdlog::stderr_color_mt("canopee");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
}

std::unique_ptr<db::Database> open_database(const CommonOptions& common, std::size_t pool_size) {
  auto url = db::parse_database_url(common.database_url);
  if (!url) throw CLI::ValidationError("--database", url.error().message);
  return std::make_unique<db::Database>(std::move(url).value(), db::PoolOptions{pool_size, std::chrono::seconds(5)});
}

int run_migrate(db::Database& database) {
  auto report = db::migrate(database);
  if (!report) {
    spdlog::error("{}", report.error().message);
    return 1;
  }
  for (const auto& name : report->applied) spdlog::info("applied migration {}", name);
  spdlog::info("database {} at schema version {}", database.url().redacted, report->to_version);
  return 0;
}

void print_error(const Error& error) {
  spdlog::error("{}", error.message);
  for (const auto& field : error.fields) spdlog::error("  {}: {}", field.field, field.message);
}

int run_cpv_import(const CommonOptions& common, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    spdlog::error("cannot read {}", path);
    return 1;
  }
  std::ostringstream text;
  text << file.rdbuf();
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto report = usecases::import_cpv(*database, text.str());
  if (!report) {
    print_error(report.error());
    return 1;
  }
  std::cout << report->imported << " CPV codes imported; " << report->known << " codes loaded with the starter set"
            << std::endl;
  return 0;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The business day: the date in Paris (Europe/Paris), where the network works.
Date today() { return paris_date(utc_instant_now()); }

const db::Actor kCommandLine{std::nullopt, std::nullopt, "cli"};

// The member a --member option names, by its code (the command line's input, as a
// token names the API's member); none when the option is empty.
Result<std::optional<std::int64_t>> member_option(db::Database& database, const std::string& code) {
  if (code.empty()) return std::optional<std::int64_t>();
  CANOPEE_TRY(member, db::get_member_by_code(database, code));
  return std::optional<std::int64_t>(member.id);
}

int run_demo(const CommonOptions& common) {
  auto database = open_database(common, 2);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto report = demo::load_demo(*database, today());
  if (!report) {
    print_error(report.error());
    return 1;
  }
  std::cout << (report->created ? "Demo network loaded" : "Demo network already loaded; new tokens issued")
            << ". Tokens (shown once):" << std::endl;
  for (const auto& u : report->users) {
    std::cout << "  " << u.role << (u.member.empty() ? "" : " " + u.member)
              << std::string(16 - std::min<std::size_t>(15,
                                                        u.role.size() + (u.member.empty() ? 0 : u.member.size() + 1)),
                             ' ')
              << u.token << "  " << u.email << std::endl;
  }
  return 0;
}

struct UserCreateOptions {
  std::string email;
  std::string name;
  std::string role;
  std::string member;
};

struct ThresholdOptions {
  std::string threshold, from, until, value, source;
};

// `canopee thresholds list`: the table in force, built-in rows and settings, one per line.
// Every document kept, checked against its SHA-256 and its audit row: exit 0 when all
// are intact, 1 listing the others (for operators, after a restore for instance).
int run_documents_verify(const CommonOptions& common) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto check = usecases::verify_documents(*database);
  if (!check) {
    print_error(check.error());
    return 1;
  }
  for (const auto& problem : check->problems) std::cout << problem << '\n';
  std::cout << check->checked << " document(s) vérifié(s), "
            << (check->problems.empty() ? "tous intacts" : std::to_string(check->problems.size()) + " anomalie(s)")
            << '\n';
  return check->problems.empty() ? 0 : 1;
}

int write_output(const std::string& bytes, const std::string& path);

// One document's PDF as kept (checked against its hash before it is written).
int run_documents_get(const CommonOptions& common, std::int64_t id, const std::string& output) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto kept = usecases::document_content(*database, id, usecases::kEveryDocument);
  if (!kept) {
    print_error(kept.error());
    return 1;
  }
  spdlog::info("document {} ({}), SHA-256 {}", kept->first.id, kept->first.reference, kept->first.sha256);
  return write_output(kept->second, output);
}

int run_thresholds_list(const CommonOptions& common) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto rows = usecases::thresholds_in_force(*database, ThresholdTable::defaults());
  if (!rows) {
    print_error(rows.error());
    return 1;
  }
  for (const auto& [e, setting] : *rows) {
    const std::string value = e.threshold == Threshold::small_lots_share_percent ? std::to_string(e.value) + " %"
                                                                                 : to_string(Amount{e.value}) + " EUR";
    std::cout << to_string(e.threshold) << '\t' << to_string(e.from) << '\t' << (e.until ? to_string(*e.until) : "-")
              << '\t' << value << '\t' << (setting ? "setting" : "built-in") << '\t' << e.source << '\n';
  }
  return 0;
}

// `canopee thresholds add`: a dated row over the built-in table (audited, never rewritten).
// Index values of one index from the statistics office's CSV (or month;value), all or none.
int run_indices_import(const CommonOptions& common, const std::string& path, const std::string& code) {
  if (auto checked = check_index_code(code, "--code"); !checked) {
    print_error(checked.error());
    return 1;
  }
  auto rows = formats::parse_index_csv(read_file(path));
  if (!rows) {
    print_error(rows.error());
    return 1;
  }
  std::vector<db::IndexPoint> points;
  for (const auto& row : *rows) points.push_back({code, row.month, row.value, "csv", ""});
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto done = usecases::load_index_values(*database, kCommandLine, points, utc_instant_now());
  if (!done) {
    print_error(done.error());
    return 1;
  }
  std::cout << code << ": " << done->added << " values added, " << done->corrected << " corrected, " << done->unchanged
            << " unchanged" << std::endl;
  return 0;
}

int run_thresholds_add(const CommonOptions& common, const ThresholdOptions& o) {
  ThresholdEntry entry{Threshold::eu_supplies_services, Date{}, std::nullopt, 0, o.source};
  auto threshold = parse_threshold(o.threshold, "--threshold");
  auto from = parse_date(o.from, "--from");
  if (!threshold || !from) {
    print_error(threshold ? from.error() : threshold.error());
    return 2;
  }
  entry.threshold = *threshold;
  entry.from = *from;
  if (!o.until.empty()) {
    auto until = parse_date(o.until, "--until");
    if (!until) {
      print_error(until.error());
      return 2;
    }
    entry.until = *until;
  }
  if (entry.threshold == Threshold::small_lots_share_percent) {
    auto percent = parse_decimal(o.value, 0, "--value");
    if (!percent) {
      print_error(percent.error());
      return 2;
    }
    entry.value = *percent;
  } else {
    auto amount = parse_amount(o.value, "--value");
    if (!amount) {
      print_error(amount.error());
      return 2;
    }
    entry.value = amount->cents;
  }
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto created = db::add_threshold_setting(*database, kCommandLine, entry);
  if (!created) {
    print_error(created.error());
    return 1;
  }
  std::cout << "threshold setting " << created->id << " added: " << to_string(entry.threshold) << " from "
            << to_string(entry.from) << std::endl;
  return 0;
}

int run_user_create(const CommonOptions& common, const UserCreateOptions& options) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  User user;
  user.email = options.email;
  user.name = options.name.empty() ? options.email : options.name;
  auto role = parse_role(options.role, "role");
  if (!role) {
    print_error(role.error());
    return 2;
  }
  user.role = *role;
  auto member = member_option(*database, options.member);
  if (!member) {
    print_error(member.error());
    return 1;
  }
  user.member_id = *member;
  const auto token = security::generate_token();
  auto created = db::create_user(*database, kCommandLine, user, security::token_hash(token));
  if (!created) {
    print_error(created.error());
    return 1;
  }
  std::cout << token << std::endl;  // alone on stdout, for scripts
  return 0;
}

// `canopee user password-link --email …`: a one-time link (72 hours) for the user to choose
// a password in the web application — how the first administrator gets one, and how an
// operator helps someone locked out. The link alone on stdout.
int run_user_password_link(const CommonOptions& common, const std::string& email, const std::string& public_url) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto user = db::get_user_by_email(*database, email);
  if (!user) {
    print_error(user.error());
    return 1;
  }
  auto link = usecases::issue_password_link(*database, kCommandLine, user->id, utc_instant_now());
  if (!link) {
    print_error(link.error());
    return 1;
  }
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::cout << base << "/#/mot-de-passe?lien=" << link->token << std::endl;
  return 0;
}

int run_import_orders(const CommonOptions& common, const std::string& path, const std::string& member_code) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto imported = usecases::import_member_orders(*database, kCommandLine, member_code, read_file(path), today());
  if (!imported) {
    print_error(imported.error());
    return 1;
  }
  for (const auto& o : imported->orders) {
    std::cout << o.reference << "\t" << o.internal_reference << "\n";
    for (const auto& w : o.warnings) spdlog::warn("{} ({}): {}", o.reference, o.internal_reference, w.message);
  }
  std::cout << imported->orders.size() << " orders (" << imported->lines << " lines) imported for " << member_code
            << std::endl;
  return 0;
}

int run_import_needs(const CommonOptions& common, const std::string& path, const std::string& member_code,
                     const std::string& status_text) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  auto status = parse_need_status(status_text, "status");
  if (!status) {
    print_error(status.error());
    return 2;
  }
  auto imported = usecases::import_member_needs(*database, kCommandLine, member_code, *status, read_file(path));
  if (!imported) {
    print_error(imported.error());
    return 1;
  }
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  spdlog::info("import: read, parsed and validated {} rows in {:.0f} ms, stored them in {:.0f} ms",
               imported->ids.size(), ms(imported->reading), ms(imported->storing));
  std::cout << imported->ids.size() << " needs imported for " << member_code << std::endl;
  return 0;
}

struct ExportOptions {
  std::string from = "1900-01-01";
  std::string to = "2999-12-31";
  std::string group_by = "member";
  std::string basis = "contract";
  std::string member;           // code
  std::string format = "json";  // json, csv, csv-rfc4180, xlsx
  std::string output;           // file; stdout when empty
  std::int64_t tender = 0;
  std::int64_t lot = 0;
  std::string ocds_prefix = "ocds-cnp000";
};

int write_output(const std::string& bytes, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << bytes;
    std::cout.flush();
    return 0;
  }
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    spdlog::error("cannot write {}", path);
    return 1;
  }
  return 0;
}

int write_table(const formats::Table& table, const ExportOptions& o) {
  if (o.format == "xlsx") {
    auto bytes = formats::to_xlsx(table);
    if (!bytes) {
      print_error(bytes.error());
      return 1;
    }
    return write_output(*bytes, o.output);
  }
  return write_output(formats::to_csv(table, o.format == "csv-rfc4180" ? formats::CsvDialect::rfc4180
                                                                       : formats::CsvDialect::french),
                      o.output);
}

int run_report_savings(const CommonOptions& common, const ExportOptions& o) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  reports::SavingsParameters p;
  auto from = parse_date(o.from, "--from");
  auto to = parse_date(o.to, "--to");
  auto group = parse_report_group(o.group_by, "--group-by");
  auto basis = parse_report_basis(o.basis, "--basis");
  for (const Error* e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(), group ? nullptr : &group.error(),
                         basis ? nullptr : &basis.error()}) {
    if (e != nullptr) {
      print_error(*e);
      return 2;
    }
  }
  p.from = *from;
  p.to = *to;
  p.group = *group;
  p.basis = *basis;
  auto member = member_option(*database, o.member);
  if (!member) {
    print_error(member.error());
    return 1;
  }
  p.member_id = *member;
  auto nomenclature = db::load_nomenclature(*database);
  if (!nomenclature) {
    print_error(nomenclature.error());
    return 1;
  }
  auto report = reports::savings_report(*database, *nomenclature, p);
  if (!report) {
    print_error(report.error());
    return 1;
  }
  if (o.format == "json")
    return write_output(boost::json::serialize(reports::savings_json(*report, p)) + "\n", o.output);
  return write_table(reports::savings_table(*report, p), o);
}

// `canopee report splitting --year Y [--member CODE]`: the anti-splitting view (R2121-6, R2121-7) as JSON.
int run_report_splitting(const CommonOptions& common, int year, const ExportOptions& o) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  SplittingRequest request{year, std::nullopt, true};
  auto member = member_option(*database, o.member);
  if (!member) {
    print_error(member.error());
    return 1;
  }
  request.member_id = *member;
  auto nomenclature = db::load_nomenclature(*database);
  if (!nomenclature) {
    print_error(nomenclature.error());
    return 1;
  }
  auto report = reports::splitting_view(*database, ThresholdTable::defaults(), request);
  if (!report) {
    print_error(report.error());
    return 2;
  }
  return write_output(boost::json::serialize(reports::splitting_json(*report, request, *nomenclature)) + "\n",
                      o.output);
}

int run_export(const CommonOptions& common, const std::string& what, const ExportOptions& o) {
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  if (what == "ocds") {
    auto package = reports::ocds(*database, o.tender, o.ocds_prefix, "urn:canopee:tender:" + std::to_string(o.tender),
                                 utc_timestamp_now().substr(0, 19) + "Z");
    if (!package) {
      print_error(package.error());
      return 1;
    }
    return write_output(formats::serialize_exact(*package) + "\n", o.output);
  }
  if (what == "decp") {
    auto from = parse_date(o.from, "--from");
    auto to = parse_date(o.to, "--to");
    if (!from || !to) {
      print_error(from ? to.error() : from.error());
      return 2;
    }
    auto data = reports::decp(*database, *from, *to, std::nullopt, utc_date_today());
    if (!data) {
      print_error(data.error());
      return 1;
    }
    // The records stay exactly the schema's; the contracts left out are said on stderr.
    for (const auto& e : data->excluded) std::cerr << "note : " << e.message << " (" << e.code << ")\n";
    if (!data->excluded.empty())
      std::cerr << "note : " << data->excluded.size() << " contrat(s) notifié(s) non publié(s) dans les DECP\n";
    return write_output(formats::serialize_exact(data->data) + "\n", o.output);
  }
  auto table = reports::dqe(*database, o.tender, o.lot == 0 ? std::nullopt : std::optional<std::int64_t>(o.lot));
  if (!table) {
    print_error(table.error());
    return 1;
  }
  ExportOptions csv = o;
  if (csv.format == "json") csv.format = "csv";
  return write_table(*table, csv);
}

int run_serve(const CommonOptions& common, const ServeOptions& options) {
  auto listen = cli::parse_listen_address(options.listen);
  if (!listen) throw CLI::ValidationError("--listen", listen.error().message);
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = options.workers != 0 ? options.workers : 2 * cores;
  auto database = open_database(common, workers);
  // Reads scaled out on a streaming standby (adapters/db/read_routing.hpp): refused
  // before anything is touched unless both databases are PostgreSQL.
  std::unique_ptr<db::ReadRouting> read_routing;
  if (!options.read_database.empty()) {
    auto url = db::parse_database_url(options.read_database);
    if (!url) throw CLI::ValidationError("--read-database", url.error().message);
    auto routing = db::ReadRouting::create(database->url(), *url,
                                           {std::chrono::milliseconds(
                                                static_cast<std::int64_t>(options.read_max_lag_s * 1000)),
                                            std::chrono::milliseconds(250)});
    if (!routing) {
      print_error(routing.error());
      return 2;
    }
    read_routing = std::move(routing).value();
  }
  if (const int rc = run_migrate(*database); rc != 0) return rc;

  auto nomenclature = db::load_nomenclature(*database);
  if (!nomenclature) {
    print_error(nomenclature.error());
    return 1;
  }
  api::Services services{
      *database, std::move(nomenclature).value(), ThresholdTable::defaults(), [] { return today(); }, {}};
  if (const char* prefix = std::getenv("CANOPEE_OCDS_PREFIX"); prefix != nullptr && *prefix != '\0')
    services.ocds_prefix = prefix;
  services.auth_failures.set_limit(options.auth_failure_limit);
  auto proxies = api::TrustedProxies::parse(options.trusted_proxies);
  if (!proxies) throw CLI::ValidationError("--trusted-proxies", proxies.error().message);
  if (!options.metrics_token.empty() && options.metrics_token.size() < 16)
    throw CLI::ValidationError("--metrics-token", "must be at least 16 characters");
  services.metrics_token = options.metrics_token;
  auto public_url = options.public_url.empty() ? "http://" + options.listen : options.public_url;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  if (!public_url.starts_with("http://") && !public_url.starts_with("https://"))
    throw CLI::ValidationError("--public-url", "must start with http:// or https://");
  services.public_base_url = public_url;
  auto providers = usecases::oidc_providers_from_environment(public_url);
  if (!providers) throw CLI::ValidationError("CANOPEE_OIDC_PROVIDERS", providers.error().message);
  services.oidc_providers = std::move(providers).value();
  for (const auto& p : services.oidc_providers)
    spdlog::info("OpenID Connect provider {} ({}), callback {}", p.id, p.issuer, p.redirect_uri);
  services.readiness.start(database->url());
  std::unique_ptr<db::Database> standby;
  if (read_routing) {
    standby = std::make_unique<db::Database>(read_routing->standby_url(),
                                             db::PoolOptions{workers, std::chrono::seconds(5)});
    read_routing->start();
    services.standby = standby.get();
    services.read_routing = read_routing.get();
    spdlog::info("reads that tolerate {:.3g} s of staleness from the standby {}", options.read_max_lag_s,
                 read_routing->standby_url().redacted);
  }
  const auto web_root = find_web_root(options.web_root);
  if (!web_root.empty()) services.web = api::WebAssets::load(web_root);
  if (services.web.index() == nullptr)
    spdlog::warn("no web application found{}; serving the API only",
                 options.web_root.empty() ? "" : " in " + options.web_root);
  else spdlog::info("web application from {} ({} files)", web_root.string(), services.web.size());
  auto smtp = mail::smtp_settings_from_environment();
  if (!smtp) {
    print_error(smtp.error());
    return 2;
  }
  services.email_configured = smtp->has_value();
  if (!services.email_configured) spdlog::info("no CANOPEE_SMTP_HOST: notifications in the app only, no e-mail");
  services.async_connections = options.async_connections;
  if (options.read_cache_max_age_s > 0) {
    if (database->backend() != db::Backend::postgresql)
      throw CLI::ValidationError("--read-cache-max-age", "needs PostgreSQL (the WAL position of each read)");
    services.recent_reads_max_age = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::ceil(options.read_cache_max_age_s * 1000)));  // 0.0004 s: 1 ms, not off
    spdlog::info("the busiest lists kept {:.3g} s at most (read-your-writes by Canopee-Read-After)",
                 options.read_cache_max_age_s);
  }
  // Every pooled connection opened before the first request rather than by it (a
  // database down now is reported by /readyz, and each connection is tried again
  // when a request needs it).
  if (auto opened = database->open_all(); !opened) spdlog::warn("pool not opened: {}", opened.error().message);
  if (standby) (void)standby->open_all();
  api::App app(services);
  api::ServerOptions server_options;
  server_options.address = listen->host;
  server_options.port = listen->port;
  server_options.io_threads = options.io_threads;
  server_options.worker_threads = workers;
  server_options.body_limit = options.body_limit;
  server_options.max_connections = options.max_connections;
  server_options.read_timeout = std::chrono::milliseconds(options.read_timeout_ms);
  server_options.shutdown_grace = std::chrono::milliseconds(options.shutdown_grace_ms);
  server_options.max_connections_per_address = options.max_connections_per_address;
  server_options.max_large_bodies = options.max_large_bodies;
  // The pools' connections (the standby's too), the fast path's, the log, web files.
  server_options.reserved_descriptors = 64 + (standby ? 2 : 1) * workers + options.async_connections;
  server_options.trusted_proxies = std::move(proxies).value();
  app.configure(server_options);
  api::Server server(server_options, [&app](api::Request&& request, const api::RequestMeta& meta) {
    return app.handle(std::move(request), meta);
  });
  const auto port = server.start();
  const bool v6 = listen->host.find(':') != std::string::npos;
  std::cout << "canopee listening on http://" << (v6 ? "[" + listen->host + "]" : listen->host) << ':' << port
            << std::endl;
  spdlog::info("serving on {}:{} with {} workers, database {}", listen->host, port, workers, database->url().redacted);
  std::optional<cli::Sweeper> sweeper;
  if (options.sweep_interval_s > 0)
    sweeper.emplace(*database, *smtp, public_url, std::chrono::seconds(options.sweep_interval_s));
  server.wait_for_signal();
  sweeper.reset();
  services.readiness.stop();
  if (read_routing) read_routing->stop();
  spdlog::info("stopped");
  return 0;
}

int run_notifications_sweep(const CommonOptions& common, const std::string& now_text, std::string public_url) {
  std::optional<Instant> now;
  if (!now_text.empty()) {
    auto at = parse_date_time(now_text, "--now");
    if (!at) throw CLI::ValidationError("--now", at.error().message);
    now = *at;
  }
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  auto smtp = mail::smtp_settings_from_environment();
  if (!smtp) {
    print_error(smtp.error());
    return 2;
  }
  auto database = open_database(common, 1);
  if (const int rc = run_migrate(*database); rc != 0) return rc;
  return cli::sweep_once(*database, *smtp, public_url, now);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Canopée purchasing engine: pooled needs, joint tenders, awards, savings"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "canopee 0.1.0");

  CommonOptions common;
  cli.add_option("--database", common.database_url,
                 "database URL: sqlite://PATH or postgresql://user:pass@host:port/db")
      ->envname("CANOPEE_DATABASE_URL")
      ->capture_default_str();
  cli.add_option("--log-level", common.log_level, "trace, debug, info, warn, error")
      ->envname("CANOPEE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  ServeOptions serve_options;
  auto* serve = cli.add_subcommand("serve", "run the HTTP API (migrates the database first)");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on")
      ->envname("CANOPEE_LISTEN")
      ->capture_default_str();
  serve->add_option("--io-threads", serve_options.io_threads, "threads doing network I/O")
      ->envname("CANOPEE_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve
      ->add_option("--workers", serve_options.workers,
                   "request worker threads, also the database pool size (0: twice the cores)")
      ->envname("CANOPEE_WORKERS")
      ->check(CLI::Range(0, 512))
      ->capture_default_str();
  serve
      ->add_option("--async-connections", serve_options.async_connections,
                   "PostgreSQL connections for the fast reads on the I/O threads (0: every request on a worker)")
      ->envname("CANOPEE_ASYNC_CONNECTIONS")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  serve->add_option("--body-limit", serve_options.body_limit, "largest request body in bytes")
      ->envname("CANOPEE_BODY_LIMIT")
      ->check(CLI::Range(1024, 1 << 30))
      ->capture_default_str();
  serve->add_option("--max-connections", serve_options.max_connections, "open connections at most")
      ->envname("CANOPEE_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  serve->add_option("--read-timeout-ms", serve_options.read_timeout_ms, "time allowed to send one request")
      ->envname("CANOPEE_READ_TIMEOUT_MS")
      ->check(CLI::Range(10, 3'600'000))
      ->capture_default_str();
  serve
      ->add_option("--shutdown-grace-ms", serve_options.shutdown_grace_ms,
                   "on SIGTERM, how long in-flight requests may take")
      ->envname("CANOPEE_SHUTDOWN_GRACE_MS")
      ->capture_default_str();
  serve
      ->add_option("--auth-failure-limit", serve_options.auth_failure_limit,
                   "failed authentications per client address and minute before 429")
      ->envname("CANOPEE_AUTH_FAILURE_LIMIT")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-address", serve_options.max_connections_per_address,
                   "open connections at most from one client address (trusted proxies are not limited)")
      ->envname("CANOPEE_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  serve
      ->add_option("--max-large-bodies", serve_options.max_large_bodies,
                   "bulk imports (bodies over --body-limit) read or handled at once; others get 503")
      ->envname("CANOPEE_MAX_LARGE_BODIES")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve
      ->add_option("--trusted-proxies", serve_options.trusted_proxies,
                   "reverse proxies whose X-Forwarded-For is believed: addresses or CIDR blocks, comma-separated")
      ->envname("CANOPEE_TRUSTED_PROXIES");
  serve
      ->add_option("--metrics-token", serve_options.metrics_token,
                   "token a scraper sends as Bearer to read /metrics (unset: only from this machine)")
      ->envname("CANOPEE_METRICS_TOKEN");
  serve
      ->add_option("--public-url", serve_options.public_url,
                   "the URL the API is published at, for links in exports (default: http://LISTEN)")
      ->envname("CANOPEE_PUBLIC_URL");
  serve
      ->add_option("--web-root", serve_options.web_root,
                   "directory of the built web application (default: web/dist beside the binary)")
      ->envname("CANOPEE_WEB_ROOT")
      ->check(CLI::ExistingDirectory);

  serve
      ->add_option("--sweep-interval", serve_options.sweep_interval_s,
                   "seconds between notifications sweeps (0: none, run `notifications sweep` from cron)")
      ->envname("CANOPEE_SWEEP_INTERVAL")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  serve
      ->add_option("--read-database", serve_options.read_database,
                   "a PostgreSQL streaming standby of --database for the reads that tolerate bounded staleness "
                   "(postgresql://…; unset: every read on --database)")
      ->envname("CANOPEE_READ_DATABASE_URL");
  serve
      ->add_option("--read-max-lag", serve_options.read_max_lag_s,
                   "seconds a read from the standby may lag behind the primary at most (else the primary)")
      ->envname("CANOPEE_READ_MAX_LAG")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  serve
      ->add_option("--read-cache-max-age", serve_options.read_cache_max_age_s,
                   "seconds the busiest lists' answers may be served again to others (0: never; PostgreSQL; a "
                   "client that sends back Canopee-Read-After, or its cookie, always sees its own writes)")
      ->envname("CANOPEE_READ_CACHE_MAX_AGE")
      ->check(CLI::Range(0.0, 30.0))
      ->capture_default_str();

  auto* notifications = cli.add_subcommand("notifications", "notifications (docs/operations.md)");
  notifications->require_subcommand(1);
  auto* notifications_sweep = notifications->add_subcommand(
      "sweep", "write the notifications that are due (deadlines, standstills, months) and send the e-mails");
  std::string sweep_now;
  std::string sweep_public_url = "http://127.0.0.1:8080";
  notifications_sweep->add_option("--now", sweep_now, "the instant to sweep at, RFC 3339 (tests; default: now)");
  notifications_sweep->add_option("--public-url", sweep_public_url, "the web app's address, for links in e-mails")
      ->envname("CANOPEE_PUBLIC_URL")
      ->capture_default_str();

  auto* migrate = cli.add_subcommand("migrate", "apply the schema migrations and exit");

  std::string cpv_file;
  auto* cpv = cli.add_subcommand("cpv", "the CPV nomenclature");
  cpv->require_subcommand(1);
  auto* cpv_import = cpv->add_subcommand(
      "import", "load the official CPV 2008 list from its CSV (CODE,FR), replacing earlier imports");
  cpv_import->add_option("FILE", cpv_file, "the official CSV, UTF-8")->required()->check(CLI::ExistingFile);

  cli.add_subcommand("demo", "load the demo network (or give its users new tokens) and print a token per user");

  UserCreateOptions user_options;
  auto* user = cli.add_subcommand("user", "users of the API");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "create a user and print its token alone on stdout");
  user_create->add_option("--email", user_options.email, "e-mail address (the login)")->required();
  user_create->add_option("--name", user_options.name, "display name (default: the e-mail)");
  user_create->add_option("--role", user_options.role, "admin, officer, buyer or finance")
      ->required()
      ->check(CLI::IsMember({"admin", "officer", "buyer", "finance"}));
  user_create->add_option("--member", user_options.member, "member code (required for buyers)");
  std::string link_email;
  std::string link_url = "http://127.0.0.1:8080";
  auto* user_link = user->add_subcommand(
      "password-link", "print a one-time link (72 hours) for the user to choose a password in the web application");
  user_link->add_option("--email", link_email, "the user's e-mail address")->required();
  user_link->add_option("--public-url", link_url, "where the web application is published")
      ->envname("CANOPEE_PUBLIC_URL");

  ThresholdOptions threshold_options;
  auto* thresholds = cli.add_subcommand("thresholds", "procurement thresholds as dated settings (docs/operations.md)");
  thresholds->require_subcommand(1);
  auto* thresholds_list = thresholds->add_subcommand("list", "the thresholds in force: built-in rows and settings");
  auto* thresholds_add =
      thresholds->add_subcommand("add", "add a dated threshold value when a decree or regulation publishes it");
  thresholds_add
      ->add_option("--threshold", threshold_options.threshold,
                   "eu_supplies_services, eu_works, no_competition_supplies_services, no_competition_works, "
                   "mapa_publicity, small_lot_supplies_services, small_lot_works or small_lots_share_percent")
      ->required();
  thresholds_add->add_option("--from", threshold_options.from, "first day it applies (YYYY-MM-DD)")->required();
  thresholds_add->add_option("--until", threshold_options.until, "last day it applies (default: until further notice)");
  thresholds_add
      ->add_option("--value", threshold_options.value,
                   "euros HT, e.g. 221000.00 (a percentage for the small-lots share)")
      ->required();
  thresholds_add
      ->add_option("--source", threshold_options.source, "the text it comes from, e.g. the delegated regulation")
      ->required();

  std::string import_file, import_member, import_status = "submitted";
  auto* import = cli.add_subcommand("import", "bulk imports");
  import->require_subcommand(1);
  auto* import_needs = import->add_subcommand("needs", "import a member's needs from CSV (all rows or none)");
  import_needs->add_option("FILE", import_file, "CSV file (see docs/procurement.md)")
      ->required()
      ->check(CLI::ExistingFile);
  import_needs->add_option("--member", import_member, "member code, e.g. OPAL")->required();
  import_needs->add_option("--status", import_status, "draft or submitted")
      ->check(CLI::IsMember({"draft", "submitted"}))
      ->capture_default_str();

  std::string orders_file, orders_member;
  auto* import_orders = import->add_subcommand(
      "orders", "import a member's purchase orders from its ERP's CSV (all orders or none, docs/api.md)");
  import_orders->add_option("--file", orders_file, "CSV file, UTF-8")->required()->check(CLI::ExistingFile);
  import_orders->add_option("--member", orders_member, "member code, e.g. OPAL")->required();

  std::string indices_file, indices_code;
  auto* indices = cli.add_subcommand("indices", "price indices for price revision (docs/operations.md)");
  indices->require_subcommand(1);
  auto* indices_import =
      indices->add_subcommand("import", "load an index series from the statistics office's CSV (all rows or none)");
  indices_import->add_option("--file", indices_file, "the series CSV (INSEE BDM, or month;value)")
      ->required()
      ->check(CLI::ExistingFile);
  indices_import->add_option("--code", indices_code, "the index code, e.g. BT01")->required();

  ExportOptions export_options;
  const auto add_period = [&](CLI::App* command) {
    command
        ->add_option("--from", export_options.from,
                     "first day (YYYY-MM-DD) of the period: savings by the contract's notification, else the "
                     "award decision; DECP by notification")
        ->capture_default_str();
    command->add_option("--to", export_options.to, "last day of the period")->capture_default_str();
  };
  const auto add_output = [&](CLI::App* command, std::vector<std::string> formats) {
    command->add_option("--format", export_options.format, "output format")
        ->check(CLI::IsMember(formats))
        ->capture_default_str();
    command->add_option("--output,-o", export_options.output, "file to write (default: stdout)");
  };
  auto* report = cli.add_subcommand("report", "reports for finance");
  report->require_subcommand(1);
  auto* report_savings = report->add_subcommand("savings", "the savings report (gains achats)");
  add_period(report_savings);
  report_savings->add_option("--group-by", export_options.group_by, "member, category, tender or month")
      ->check(CLI::IsMember({"member", "category", "tender", "month"}))
      ->capture_default_str();
  report_savings->add_option("--basis", export_options.basis, "contract or 12m")
      ->check(CLI::IsMember({"contract", "12m"}))
      ->capture_default_str();
  report_savings->add_option("--member", export_options.member, "one member's code");
  add_output(report_savings, {"json", "csv", "csv-rfc4180", "xlsx"});

  int splitting_year = 0;
  auto* report_splitting = report->add_subcommand(
      "splitting", "the year's value per CPV family against the thresholds (R2121-6, R2121-7), JSON");
  report_splitting->add_option("--year", splitting_year, "calendar year, 2024 to 2099")
      ->required()
      ->check(CLI::Range(2024, 2099));
  report_splitting->add_option("--member", export_options.member, "one member's code");
  add_output(report_splitting, {"json"});

  auto* documents = cli.add_subcommand("documents", "the documents kept (letters, notices, reports)");
  documents->require_subcommand(1);
  auto* documents_verify = documents->add_subcommand("verify",
                                                     "check every document kept against its SHA-256 and its audit row");
  auto* documents_get = documents->add_subcommand("get", "write one document's PDF as kept");
  std::int64_t document_id = 0;
  std::string document_output;
  documents_get->add_option("--id", document_id, "document id")->required()->check(CLI::PositiveNumber);
  documents_get->add_option("--output,-o", document_output, "file to write (default: stdout)");

  auto* export_command = cli.add_subcommand("export", "open data and tender documents");
  export_command->require_subcommand(1);
  auto* export_ocds = export_command->add_subcommand("ocds", "a tender's OCDS 1.1 release package");
  export_ocds->add_option("--tender", export_options.tender, "tender id")->required();
  export_ocds->add_option("--ocid-prefix", export_options.ocds_prefix, "the publisher's OCID prefix")
      ->envname("CANOPEE_OCDS_PREFIX")
      ->capture_default_str();
  export_ocds->add_option("--output,-o", export_options.output, "file to write (default: stdout)");
  auto* export_decp = export_command->add_subcommand("decp", "essential procurement data of the contracts of a period");
  add_period(export_decp);
  export_decp->add_option("--output,-o", export_options.output, "file to write (default: stdout)");
  auto* export_dqe = export_command->add_subcommand("dqe", "a tender's quantity schedule (DQE)");
  export_dqe->add_option("--tender", export_options.tender, "tender id")->required();
  export_dqe->add_option("--lot", export_options.lot, "one lot id (default: all)");
  add_output(export_dqe, {"csv", "csv-rfc4180", "xlsx"});

  CLI11_PARSE(cli, argc, argv);
  configure_logging(common.log_level);
  try {
    if (serve->parsed()) return run_serve(common, serve_options);
    if (cpv_import->parsed()) return run_cpv_import(common, cpv_file);
    if (notifications_sweep->parsed()) return run_notifications_sweep(common, sweep_now, sweep_public_url);
    if (cli.got_subcommand("demo")) return run_demo(common);
    if (user_create->parsed()) return run_user_create(common, user_options);
    if (user_link->parsed()) return run_user_password_link(common, link_email, link_url);
    if (thresholds_list->parsed()) return run_thresholds_list(common);
    if (thresholds_add->parsed()) return run_thresholds_add(common, threshold_options);
    if (indices_import->parsed()) return run_indices_import(common, indices_file, indices_code);
    if (import_needs->parsed()) return run_import_needs(common, import_file, import_member, import_status);
    if (import_orders->parsed()) return run_import_orders(common, orders_file, orders_member);
    if (report_savings->parsed()) return run_report_savings(common, export_options);
    if (report_splitting->parsed()) return run_report_splitting(common, splitting_year, export_options);
    if (documents_verify->parsed()) return run_documents_verify(common);
    if (documents_get->parsed()) return run_documents_get(common, document_id, document_output);
    if (export_ocds->parsed()) return run_export(common, "ocds", export_options);
    if (export_decp->parsed()) return run_export(common, "decp", export_options);
    if (export_dqe->parsed()) {
      if (export_options.format == "json") export_options.format = "csv";
      return run_export(common, "dqe", export_options);
    }
    if (migrate->parsed()) {
      auto database = open_database(common, 1);
      return run_migrate(*database);
    }
  } catch (const CLI::Error& e) {
    return cli.exit(e);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
