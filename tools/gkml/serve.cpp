// gkml serve: the county's service over HTTP (cpp-httplib). What it does is gkml::Service's
// (lib/include/gkml/service.hpp); this file maps it to routes, cookies, CSRF checks and status codes,
// and logs one line per request and per upload on stderr.
#include <httplib.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include <pthread.h>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/report.hpp"
#include "gkml/service.hpp"

namespace gkml::cli {

namespace {

struct ServeArgs {
    std::filesystem::path db, units, standard;
    std::string listen = "127.0.0.1:8080";
    std::size_t max_upload_mb = 20;
    std::size_t uploads_per_hour = 60;
    int idle_minutes = 60;
    std::size_t threads = 32;
    bool behind_proxy = false;
};

using Json = nlohmann::ordered_json;

constexpr std::string_view session_cookie = "gkml_session";
constexpr std::string_view login_cookie = "gkml_login";  // the sign-in form's CSRF token, before there is a session
constexpr int rectify_within = 20;                       // 整改期限 in working days, as gkml rectify's default

std::mutex log_mutex;

// One line, whatever a client put into the names and paths it holds: control characters become '?'.
void log_line(std::string line) {
    std::ranges::replace_if(line, [](unsigned char c) { return c < 0x20 || c == 0x7f; }, '?');
    std::lock_guard lock(log_mutex);
    std::cerr << line << '\n';
}

std::string utc_now() {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// What the request log says about the request being answered on this thread.
struct RequestNote {
    Clock::time_point start;
    std::string account;
};
thread_local RequestNote request_note;

std::string cookie_of(const httplib::Request& req, std::string_view name) {
    const auto header = req.get_header_value("Cookie");
    std::string_view rest = header;
    while (!rest.empty()) {
        auto end = rest.find(';');
        auto pair = rest.substr(0, end);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return std::string(pair.substr(name.size() + 1));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return "";
}

class Server {
public:
    Server(const ServeArgs& args, std::unique_ptr<Service> service)
        : args_(args), service_(std::move(service)), sessions_(std::chrono::minutes(args.idle_minutes)),
          throttle_(5, 30, std::chrono::minutes(15)) {}

    void route(httplib::Server& http);

private:
    struct Visit {
        Session session;
        Account account;
    };

    // The client's address: behind the proxy on this machine, what it says in X-Real-IP (from no one else).
    std::string client_of(const httplib::Request& req) const {
        const bool from_proxy = req.remote_addr == "127.0.0.1" || req.remote_addr == "::1" || req.remote_addr == "::ffff:127.0.0.1";
        if (args_.behind_proxy && from_proxy)
            if (auto real = req.get_header_value("X-Real-IP"); !real.empty()) return real;
        return req.remote_addr;
    }

    // Behind TLS the cookies are __Host- ones: Secure, for this host and path /, not settable by a sibling host.
    std::string cookie_name(std::string_view base) const { return (args_.behind_proxy ? "__Host-" : "") + std::string(base); }

    void set_cookie(httplib::Response& res, std::string_view base, std::string_view value, bool clear = false) const {
        res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}{}", cookie_name(base), value,
                                                 args_.behind_proxy ? "; Secure" : "", clear ? "; Max-Age=0" : ""));
    }

    std::optional<Visit> visit_of(const httplib::Request& req) {
        auto id = cookie_of(req, cookie_name(session_cookie));
        if (id.empty()) return std::nullopt;
        auto session = sessions_.find(id, Clock::now());
        if (!session) return std::nullopt;
        auto account = service_->account(session->account);
        if (!account || !*account || (*account)->pwhash != session->stamp) {  // removed, or its password changed, since
            sessions_.end(id);
            return std::nullopt;
        }
        request_note.account = (*account)->name;
        return Visit{std::move(*session), std::move(**account)};
    }

    // The signed-in visit, or the answer to a request without one: the sign-in page for a page, 401 for the API.
    std::optional<Visit> require(const httplib::Request& req, httplib::Response& res, bool api) {
        auto visit = visit_of(req);
        if (visit) return visit;
        if (api) {
            json(res, 401, Json{{"error", "请先登录 / sign in first"}});
        } else {
            res.set_redirect("/login", 303);
        }
        return std::nullopt;
    }

    void page(httplib::Response& res, int status, std::string html) const {
        res.status = status;
        res.set_content(std::move(html), "text/html; charset=utf-8");
    }

    void json(httplib::Response& res, int status, const Json& body) const {
        res.status = status;
        res.set_content(body.dump(2) + "\n", "application/json; charset=utf-8");
    }

    void refuse(httplib::Response& res, const Visit* visit, bool api, int status, std::string_view text) const {
        if (api) return json(res, status, Json{{"error", text}});
        PageContext context{visit ? &visit->account : nullptr, visit ? visit->session.csrf : ""};
        std::string_view title = status == 403 ? "无权访问" : status == 404 ? "没有这个单位" : status == 429 ? "请稍后再试" : "出错了";
        page(res, status, message_page(context, status, title, text));
    }

    void failed(httplib::Response& res, const Visit& visit, bool api, const Error& error) const {
        log_line("gkml serve: error: " + error.message + (error.file.empty() ? "" : " (" + error.file + ")"));
        refuse(res, &visit, api, 500, "服务出错，请联系县政务公开办 / the service failed: " + error.message);
    }

    // The unit the visit asks about, when it may read it; otherwise the refusal is answered.
    std::optional<Unit> readable(httplib::Response& res, const Visit& visit, bool api, const std::string& code) {
        auto registry = service_->registry();
        if (!registry) return failed(res, visit, api, registry.error()), std::nullopt;
        auto unit = std::ranges::find(*registry, code, &Unit::code);
        if (!gkml::may_read(visit.account, *registry, code)) {
            refuse(res, &visit, api, 403, "这个账号无权查看单位 " + code + " / this account may not read that unit");
            return std::nullopt;
        }
        if (unit == registry->end()) {
            refuse(res, &visit, api, 404, "单位名录中没有 " + code + " / no such unit in the registry");
            return std::nullopt;
        }
        return *unit;
    }

    bool csrf_ok(const Visit& visit, std::string_view token) const { return !token.empty() && same_token(token, visit.session.csrf); }
    // A form's fields come in its body; a token or password in a URL would be logged and leaked.
    static bool in_url(const httplib::Request& req) { return req.target.find('?') != std::string::npos; }

    void sign_in_form(httplib::Response& res, int status, std::string_view problem, std::string_view name) const {
        auto token = random_token();
        set_cookie(res, login_cookie, token);
        page(res, status, sign_in_page(token, problem, name));
    }

    void get_login(const httplib::Request& req, httplib::Response& res) {
        if (visit_of(req)) return res.set_redirect("/", 303);
        sign_in_form(res, 200, "", "");
    }

    void post_login(const httplib::Request& req, httplib::Response& res) {
        const auto name = req.get_param_value("name");
        const auto cookie = cookie_of(req, cookie_name(login_cookie));
        if (cookie.empty() || in_url(req) || !same_token(cookie, req.get_param_value("csrf")))
            return sign_in_form(res, 403, "登录页已过期，请重新登录 / the sign-in form expired; sign in again", name);
        if (name.size() > 64) return sign_in_form(res, 401, "账号或口令不对 / wrong name or password", "");  // no account has such a name
        const auto client = client_of(req);
        if (auto wait = throttle_.admit(name, client, Clock::now()); wait > 0)
            return sign_in_form(res, 429, fmt::format("尝试次数过多，请 {} 分钟后再试 / too many attempts; wait {} minutes", (wait + 59) / 60, (wait + 59) / 60), name);
        auto account = service_->sign_in(name, req.get_param_value("password"));
        if (!account) {
            log_line("gkml serve: error: " + account.error().message);
            return sign_in_form(res, 500, "服务出错 / the service failed", name);
        }
        if (!*account) {
            log_line(fmt::format("{} sign-in refused for {} from {}", utc_now(), name, client));
            return sign_in_form(res, 401, "账号或口令不对 / wrong name or password", name);
        }
        throttle_.succeeded(name, client);
        log_line(fmt::format("{} sign-in of {} from {}", utc_now(), name, client));
        auto session = sessions_.start((*account)->name, Clock::now(), (*account)->pwhash);
        request_note.account = session.account;
        set_cookie(res, login_cookie, "", true);
        set_cookie(res, session_cookie, session.id);
        res.set_redirect("/", 303);
    }

    void post_logout(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return;
        if (in_url(req) || !csrf_ok(*visit, req.get_param_value("csrf"))) return refuse(res, &*visit, false, 403, csrf_problem);
        sessions_.end(visit->session.id);
        set_cookie(res, session_cookie, "", true);
        res.set_redirect("/login", 303);
    }

    void home(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return;
        res.set_redirect(visit->account.role == Role::township ? "/unit/" + visit->account.unit : "/county", 303);
    }

    // The unit's page, with the upload just made when there is one.
    void unit_view(httplib::Response& res, const Visit& visit, const Unit& unit, const UploadResult* upload) {
        auto audit = service_->audit(visit.account, unit.code);
        if (!audit) return failed(res, visit, false, audit.error());
        auto coverage = audit_coverage(*audit);
        if (!coverage) return failed(res, visit, false, coverage.error());
        auto notice = audit_rectify(*audit, *coverage, std::nullopt, rectify_within, "", "");
        if (!notice) return failed(res, visit, false, notice.error());
        auto uploads = service_->uploads(visit.account, unit.code, 50);
        if (!uploads) return failed(res, visit, false, uploads.error());
        UnitPage view{unit, std::nullopt, coverage->period.label, notice->due, upload, std::move(*uploads), may_upload(visit.account, unit.code)};
        if (auto own = std::ranges::find(coverage->units, unit.code, &UnitCoverage::code); own != coverage->units.end()) view.coverage = *own;
        page(res, upload ? upload->status : 200, unit_page(PageContext{&visit.account, visit.session.csrf}, view));
    }

    void get_unit(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return;
        auto unit = readable(res, *visit, false, req.matches[1]);
        if (unit) unit_view(res, *visit, *unit, nullptr);
    }

    // An upload from the unit's page (a form) or the API: the file in the multipart field `file`.
    void post_upload(const httplib::Request& req, httplib::Response& res, bool api) {
        auto visit = require(req, res, api);
        if (!visit) return;
        const std::string token = api ? req.get_header_value("X-CSRF-Token") : req.get_file_value("csrf").content;
        if (!csrf_ok(*visit, token)) return refuse(res, &*visit, api, 403, csrf_problem);
        auto unit = readable(res, *visit, api, req.matches[1]);
        if (!unit) return;
        if (!req.has_file("file")) return refuse(res, &*visit, api, 400, "没有选择文件 / no file was sent (multipart field \"file\")");
        const auto& file = req.get_file_value("file");
        auto result = service_->upload(visit->account, unit->code, file.filename, file.content);
        log_line(fmt::format("{} upload #{} unit {} by {}: {} ({} bytes) {} {}: {} errors, {} warnings", utc_now(), result.entry.id,
                             unit->code, visit->account.name, result.entry.file, file.content.size(), result.status,
                             result.entry.outcome, result.entry.errors, result.entry.warnings));
        if (!api) return unit_view(res, *visit, *unit, &result);
        json(res, result.status,
             Json{{"status", result.status},
                  {"message", result.message},
                  {"upload", result.entry.id ? Json(result.entry.id) : Json()},
                  {"outcome", result.entry.outcome},
                  {"file", result.entry.file},
                  {"snapshots", result.entry.snapshots},
                  {"diagnostics", Json::parse(diagnostics_to_json(result.file.diagnostics))},
                  {"warnings", result.warnings}});
    }

    // The unit asked for with ?unit= (empty: all the account may read), when the account may read it.
    std::optional<std::string> scope_of(const httplib::Request& req, httplib::Response& res, const Visit& visit, bool api) {
        auto code = req.get_param_value("unit");
        if (!code.empty() && !readable(res, visit, api, code)) return std::nullopt;
        return code;
    }

    // The report of the units a page asks about (?unit=), when the account may read them.
    struct Reported {
        Visit visit;
        std::string scope;
        Audit audit;
        ReportInput input;
    };
    std::optional<Reported> reported(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return std::nullopt;
        auto scope = scope_of(req, res, *visit, false);
        if (!scope) return std::nullopt;
        auto audit = service_->audit(visit->account, *scope);
        if (!audit) return failed(res, *visit, false, audit.error()), std::nullopt;
        auto input = audit_report(*audit, "", "");
        if (!input) return failed(res, *visit, false, input.error()), std::nullopt;
        return Reported{std::move(*visit), std::move(*scope), std::move(*audit), std::move(*input)};
    }

    void get_county(const httplib::Request& req, httplib::Response& res) {
        auto r = reported(req, res);
        if (!r) return;
        auto snapshots = audit_snapshots(r->audit);
        if (!snapshots) return failed(res, r->visit, false, snapshots.error());
        auto uploads = service_->uploads(r->visit.account, r->scope, 100);
        if (!uploads) return failed(res, r->visit, false, uploads.error());
        CountyPage view{r->input.title, std::move(r->input.coverage), std::move(r->input.trend), {}, std::move(*uploads), r->scope};
        for (auto s = snapshots->rbegin(); s != snapshots->rend() && view.snapshots.size() < 100; ++s) view.snapshots.push_back(*s);
        page(res, 200, county_page(PageContext{&r->visit.account, r->visit.session.csrf}, view));
    }

    void get_report(const httplib::Request& req, httplib::Response& res) {
        if (auto r = reported(req, res)) page(res, 200, report_html(r->input));
    }

    // The 整改清单 of `code` (empty: every unit the account may read) as a workbook or a printable page.
    void rectify(httplib::Response& res, const Visit& visit, const std::string& code, bool xlsx) {
        auto audit = service_->audit(visit.account, code);
        if (!audit) return failed(res, visit, false, audit.error());
        auto notice = audit_rectify(*audit, std::nullopt, rectify_within, "", "");
        if (!notice) return failed(res, visit, false, notice.error());
        if (!xlsx) return page(res, 200, rectify_to_html(notice->lists, notice->heading));
        auto bytes = rectify_to_xlsx(notice->lists, notice->heading, std::filesystem::temp_directory_path());
        if (!bytes) return failed(res, visit, false, bytes.error());
        const bool plain = !code.empty() && std::ranges::all_of(code, [](unsigned char c) { return std::isalnum(c) || c == '-'; });
        res.set_header("Content-Disposition", fmt::format("attachment; filename=\"rectify-{}.xlsx\"", plain ? code : "all"));
        res.set_content(std::move(*bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    void get_unit_rectify(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return;
        if (auto unit = readable(res, *visit, false, req.matches[1])) rectify(res, *visit, unit->code, req.matches[2] == "xlsx");
    }

    void get_rectify(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, false);
        if (!visit) return;
        if (auto scope = scope_of(req, res, *visit, false)) rectify(res, *visit, *scope, req.matches[1] == "xlsx");
    }

    void api_session(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, true);
        if (!visit) return;
        const auto& a = visit->account;
        json(res, 200, Json{{"account", a.name}, {"role", to_string(a.role)}, {"unit", a.unit}, {"csrf", visit->session.csrf}});
    }

    void api_units(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, true);
        if (!visit) return;
        auto registry = service_->registry();
        if (!registry) return failed(res, *visit, true, registry.error());
        auto units = Json::array();
        for (const auto& u : readable_units(visit->account, *registry))
            units.push_back(Json{{"code", u.code}, {"name", u.name}, {"level", u.level ? to_string(*u.level) : "province"}, {"parent", u.parent}});
        json(res, 200, Json{{"units", units}});
    }

    void coverage_json(httplib::Response& res, const Visit& visit, const std::string& code) {
        auto audit = service_->audit(visit.account, code);
        if (!audit) return failed(res, visit, true, audit.error());
        auto coverage = audit_coverage(*audit);
        if (!coverage) return failed(res, visit, true, coverage.error());
        res.set_content(coverage_to_json(*coverage), "application/json; charset=utf-8");
    }

    void api_coverage(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, true);
        if (!visit) return;
        if (auto scope = scope_of(req, res, *visit, true)) coverage_json(res, *visit, *scope);
    }

    void api_unit_coverage(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, true);
        if (!visit) return;
        if (auto unit = readable(res, *visit, true, req.matches[1])) coverage_json(res, *visit, unit->code);
    }

    void api_uploads(const httplib::Request& req, httplib::Response& res) {
        auto visit = require(req, res, true);
        if (!visit) return;
        auto scope = scope_of(req, res, *visit, true);
        if (!scope) return;
        auto uploads = service_->uploads(visit->account, *scope, 1000);
        if (!uploads) return failed(res, *visit, true, uploads.error());
        auto list = Json::array();
        for (const auto& u : *uploads)
            list.push_back(Json{{"id", u.id}, {"taken", u.taken}, {"account", u.account}, {"unit", u.unit}, {"file", u.file},
                                {"bytes", u.bytes}, {"outcome", u.outcome}, {"errors", u.errors}, {"warnings", u.warnings},
                                {"snapshots", u.snapshots}});
        json(res, 200, Json{{"uploads", list}});
    }

    static constexpr std::string_view csrf_problem = "表单已过期或不是从本系统提交的，请刷新页面后重试 / the form's CSRF token is missing or wrong";

    const ServeArgs& args_;
    std::unique_ptr<Service> service_;
    Sessions sessions_;
    SignInThrottle throttle_;
};

void Server::route(httplib::Server& http) {
    using Req = const httplib::Request&;
    using Res = httplib::Response&;
    const std::string code = "([0-9A-Za-z-]{1,40})";  // a division code, or a county department's (230522-mzj)
    const std::string unit = "/unit/" + code;
    http.Get("/login", [this](Req q, Res r) { get_login(q, r); });
    http.Post("/login", [this](Req q, Res r) { post_login(q, r); });
    http.Post("/logout", [this](Req q, Res r) { post_logout(q, r); });
    http.Get("/", [this](Req q, Res r) { home(q, r); });
    http.Get(unit, [this](Req q, Res r) { get_unit(q, r); });
    http.Post(unit + "/upload", [this](Req q, Res r) { post_upload(q, r, false); });
    http.Get(unit + R"(/rectify\.(xlsx|html))", [this](Req q, Res r) { get_unit_rectify(q, r); });
    http.Get("/county", [this](Req q, Res r) { get_county(q, r); });
    http.Get("/report", [this](Req q, Res r) { get_report(q, r); });
    http.Get(R"(/rectify\.(xlsx|html))", [this](Req q, Res r) { get_rectify(q, r); });
    http.Get("/api/session", [this](Req q, Res r) { api_session(q, r); });
    http.Get("/api/units", [this](Req q, Res r) { api_units(q, r); });
    http.Get("/api/coverage", [this](Req q, Res r) { api_coverage(q, r); });
    http.Get("/api/uploads", [this](Req q, Res r) { api_uploads(q, r); });
    http.Get("/api/units/" + code + "/coverage", [this](Req q, Res r) { api_unit_coverage(q, r); });
    http.Post("/api/units/" + code + "/upload", [this](Req q, Res r) { post_upload(q, r, true); });

    http.set_pre_routing_handler([](Req, Res) {
        request_note = RequestNote{Clock::now(), ""};
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([](Req req, Res res) {
        if (!res.body.empty()) return;
        const bool api = req.path.starts_with("/api/");
        const std::string text = res.status == 404 ? "没有这个页面 / not found"
                               : res.status == 413 ? "文件太大 / the upload is too large"
                                                   : "请求有误 / bad request";
        if (api) {
            res.set_content(Json{{"error", text}}.dump() + "\n", "application/json; charset=utf-8");
        } else {
            res.set_content(message_page(PageContext{}, res.status, "出错了", text), "text/html; charset=utf-8");
        }
    });
    http.set_exception_handler([](Req, Res res, std::exception_ptr error) {
        std::string what = "unknown";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        log_line("gkml serve: error: " + what);
        res.status = 500;
        res.set_content(message_page(PageContext{}, 500, "出错了", "服务出错 / the service failed"), "text/html; charset=utf-8");
    });
    http.set_logger([this](Req req, const httplib::Response& res) {
        // A request refused before routing (malformed) has no start time.
        const bool timed = request_note.start != Clock::time_point{};
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - request_note.start).count();
        log_line(fmt::format("{} {} {} {} {} {} B {} ms{}", utc_now(), client_of(req), req.method, req.path, res.status, res.body.size(),
                             timed ? std::to_string(ms) : "-", request_note.account.empty() ? "" : " " + request_note.account));
        request_note = RequestNote{};
    });
    // Private data, never cached or framed; no script, no outside resource.
    http.set_default_headers({{"Cache-Control", "no-store"},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "same-origin"},
                              {"Content-Security-Policy",
                               "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'"}});
}

// HOST:PORT, [IPv6]:PORT, or :PORT (all interfaces); port 0 picks a free one.
std::optional<std::pair<std::string, int>> parse_listen(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    int port = 0;
    auto digits = std::string_view(text).substr(colon + 1);
    if (digits.empty() || digits.size() > 5 || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    port = std::stoi(std::string(digits));
    if (port > 65535) return std::nullopt;
    return std::pair{host, port};
}

int run_serve(const ServeArgs& args) {
    auto where = parse_listen(args.listen);
    if (!where) return report(Error{ErrorKind::usage, "--listen 写成 地址:端口，例如 127.0.0.1:8080 / --listen takes HOST:PORT, not " + args.listen, "", 0});
    ServiceOptions options{args.db, data_dir(), args.standard, args.units, args.max_upload_mb << 20, args.uploads_per_hour};
    auto service = Service::open(options);
    if (!service) return report(service.error());
    auto store = Store::open_read_only(args.db);
    if (!store) return report(store.error());
    auto accounts = store->accounts();
    auto units = store->units();
    if (!accounts || !units) return report(!accounts ? accounts.error() : units.error());

    // SIGINT and SIGTERM are taken by one thread that stops the server; every other thread blocks them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    httplib::Server http;
    Server server(args, std::move(*service));
    server.route(http);
    http.new_task_queue = [threads = args.threads] { return new httplib::ThreadPool(threads); };
    http.set_payload_max_length((args.max_upload_mb << 20) + (1u << 20));  // the file and the form around it
    http.set_read_timeout(std::chrono::seconds(20));
    http.set_keep_alive_timeout(2);  // an idle browser connection holds a thread: let it go soon
    http.set_write_timeout(std::chrono::seconds(30));

    int port = where->second;
    const bool bound = port == 0 ? (port = http.bind_to_any_port(where->first)) > 0 : http.bind_to_port(where->first, port);
    if (!bound)
        return report(Error{ErrorKind::io, "不能在 " + args.listen + " 上监听（端口已被占用或地址不在本机）/ cannot listen there", "", 0});
    std::cerr << "gkml serve: http://" << (where->first.find(':') != std::string::npos ? "[" + where->first + "]" : where->first) << ":"
              << port << "/ (" << store->location() << ", " << units->size() << " units, " << accounts->size() << " accounts)" << std::endl;
    if (accounts->empty()) std::cerr << "gkml serve: 还没有账号，先用 gkml users add 建立 (no accounts yet: gkml users add)" << std::endl;

    std::mutex stopping;
    std::condition_variable stopped_cv;
    bool stopped = false;
    std::thread stopper([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        http.stop();
        // Requests in flight finish; a client that keeps a connection open without finishing its
        // request does not hold the stop up for long. (A put is one transaction: nothing is half-written.)
        std::unique_lock lock(stopping);
        if (!stopped_cv.wait_for(lock, std::chrono::seconds(10), [&] { return stopped; })) {
            log_line("gkml serve: stopped with connections still open 10 s after the signal");
            std::_Exit(ok);
        }
    });
    const bool served = http.listen_after_bind();
    {
        std::lock_guard lock(stopping);
        stopped = true;
    }
    stopped_cv.notify_all();
    pthread_kill(stopper.native_handle(), SIGTERM);  // wakes it when the server stopped by itself
    stopper.join();
    std::cerr << "gkml serve: stopped" << std::endl;
    return served ? ok : report(Error{ErrorKind::io, "服务异常停止 / the server stopped on an error", "", 0});
}

}  // namespace

void add_serve(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ServeArgs>();
    auto* sub = app.add_subcommand("serve", "The county's web service: townships upload in a browser, the office sees coverage");
    sub->add_option("--db", args->db, "The store: a SQLite file (created when missing) or a postgresql:// URL")->required();
    sub->add_option("--listen", args->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)");
    sub->add_option("--units", args->units, "A unit registry (XML or CSV) to put into the database at start");
    sub->add_option("--standard", args->standard, "Folder of standard catalogs (default: the bundled ones)");
    sub->add_option("--max-upload-mb", args->max_upload_mb, "Largest upload in MiB (default 20)")->check(CLI::Range(1, 1024));
    sub->add_option("--uploads-per-hour", args->uploads_per_hour, "Uploads an account may make in an hour (default 60)")->check(CLI::Range(1, 100000));
    sub->add_option("--idle-minutes", args->idle_minutes, "Sign a session out after this long without a request (default 60)")->check(CLI::Range(1, 24 * 60));
    sub->add_option("--threads", args->threads, "Connections served at once (default 32; a browser keeps a few open)")->check(CLI::Range(1, 256));
    sub->add_flag("--behind-proxy", args->behind_proxy,
                  "Behind a TLS reverse proxy on this machine: cookies marked Secure, the client address from X-Real-IP");
    sub->footer("Accounts: gkml users add NAME --db FILE --role township|county|admin --unit CODE.\n"
                "Stops on SIGTERM or Ctrl-C. One line per request and per upload on stderr. TLS: put nginx in front (README).");
    sub->callback([args, &exit_code] { exit_code = run_serve(*args); });
}

}  // namespace gkml::cli
