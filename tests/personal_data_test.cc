// Personal data coverage (issue 9; docs/personal-data.md), on SQLite and PostgreSQL:
//
// 1. docs/personal-data.md lists every column of every table of the live, migrated schema, and
//    nothing else: a new column without a row fails here.
// 2. One person touching every personal table is seeded with canary values; the data export
//    (DataRights + the JSON of GET /api/v1/me/export) carries each exported column's canary at
//    the path the table names, no canary of a column marked "no", and never the partner's
//    private note. Without a master key the export still succeeds, the content "unavailable".
// 3. ErasePerson: afterwards no canary is left in any text column of any table, except in
//    columns the table marks "kept"; the sealed content is crypto-shredded (key blanked, rows
//    gone), so its canaries cannot be found as text before or after.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/crypto.h"
#include "app/data_rights.h"
#include "app/surveys.h"
#include "app/workspace.h"
#include "backend_fixture.h"
#include "http/export_json.h"
#include "store/sql_store.h"
#include "store/sql_tx.h"

namespace tandem {
namespace {

using nlohmann::json;

constexpr Millis kStart = 1'800'000'000'000;

// One row of the table in docs/personal-data.md.
struct DocRow {
  bool personal = false;
  std::string export_path;  // "" when the export column says "no: ..."
  std::string erasure;
};
using ColumnKey = std::pair<std::string, std::string>;  // table, column

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The rows of the table `| table | column | personal | export | erasure |`; problems (a row
// listed twice, a bad value) go to *problems.
std::map<ColumnKey, DocRow> ReadDoc(std::vector<std::string>* problems) {
  std::map<ColumnKey, DocRow> rows;
  std::ifstream in(TANDEM_PERSONAL_DATA_DOC);
  if (!in) {
    problems->push_back(std::string("cannot read ") + TANDEM_PERSONAL_DATA_DOC);
    return rows;
  }
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("| table | column | personal | export | erasure |", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table || line.rfind("|---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') {
      in_table = false;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream cells_in(line.substr(1));
    std::string cell;
    while (std::getline(cells_in, cell, '|')) cells.push_back(Trim(cell));
    if (cells.size() != 5) {
      problems->push_back("a row without 5 cells: " + line);
      continue;
    }
    DocRow row;
    const ColumnKey key{cells[0], cells[1]};
    if (cells[2] != "yes" && cells[2] != "no") {
      problems->push_back(cells[0] + "." + cells[1] + ": personal is '" + cells[2] + "'");
    }
    row.personal = cells[2] == "yes";
    if (cells[3].rfind("no: ", 0) != 0) {
      if (cells[3].empty() || cells[3].find(' ') != std::string::npos) {
        problems->push_back(cells[0] + "." + cells[1] + ": export is neither a path nor 'no: '");
      }
      row.export_path = cells[3];
    }
    row.erasure = cells[4];
    bool known = false;
    for (const char* start : {"blanked", "deleted", "kept", "n.a."}) {
      known = known || row.erasure.rfind(start, 0) == 0;
    }
    if (!known) problems->push_back(cells[0] + "." + cells[1] + ": erasure '" + row.erasure + "'");
    if (row.personal && row.erasure.rfind("n.a.", 0) == 0) {
      problems->push_back(cells[0] + "." + cells[1] + ": personal, but its erasure is n.a.");
    }
    if (!rows.emplace(key, row).second) {
      problems->push_back(cells[0] + "." + cells[1] + " is listed twice");
    }
  }
  return rows;
}

struct Column {
  std::string name;
  bool text = false;
};

// Every table of the live schema with its columns.
std::map<std::string, std::vector<Column>> LiveSchema(Store& s) {
  std::map<std::string, std::vector<Column>> schema;
  auto& sql = dynamic_cast<store::SqlStore&>(s).sql();
  const bool postgres = s.backend() == "postgresql";
  const Status status = sql.InReadTransaction([&](store::SqlSession& db) {
    if (postgres) {
      for (const store::SqlRow& r :
           db.Query("SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                    {})) {
        const std::string type = r.Text(2);
        schema[r.Text(0)].push_back({r.Text(1), type == "text" || type == "character varying"});
      }
      return Status::Ok();
    }
    std::vector<std::string> tables;
    for (const store::SqlRow& r :
         db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                  "'sqlite_%' ORDER BY name",
                  {})) {
      tables.push_back(r.Text(0));
    }
    for (const std::string& t : tables) {
      for (const store::SqlRow& r : db.Query("PRAGMA table_info(" + t + ")", {})) {
        schema[t].push_back({r.Text(1), r.Text(2) == "TEXT"});
      }
    }
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return schema;
}

// The nodes a path such as "tandems[].notes[].text" names in `root`.
void Resolve(const json& node, const std::vector<std::string>& segments, size_t at,
             std::vector<const json*>* out) {
  if (at == segments.size()) {
    out->push_back(&node);
    return;
  }
  std::string segment = segments[at];
  const bool each = segment.size() > 2 && segment.substr(segment.size() - 2) == "[]";
  if (each) segment.resize(segment.size() - 2);
  if (!node.is_object() || !node.contains(segment)) return;
  const json& child = node.at(segment);
  if (!each) return Resolve(child, segments, at + 1, out);
  if (!child.is_array()) return;
  for (const json& element : child) Resolve(element, segments, at + 1, out);
}

std::vector<const json*> ResolvePath(const json& root, const std::string& path) {
  std::vector<std::string> segments;
  std::stringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '.')) segments.push_back(segment);
  std::vector<const json*> out;
  Resolve(root, segments, 0, &out);
  return out;
}

// Whether `node` (or anything inside it) holds the text or the number.
bool Holds(const json& node, const std::string& text, std::optional<std::int64_t> number) {
  if (node.is_string())
    return !text.empty() && node.get<std::string>().find(text) != std::string::npos;
  if (node.is_number_integer()) return number && node.get<std::int64_t>() == *number;
  if (node.is_structured()) {
    for (const json& child : node) {
      if (Holds(child, text, number)) return true;
    }
  }
  return false;
}

// A canary value seeded into one column of the person's rows.
struct Canary {
  std::string table;
  std::string column;
  std::string text;                    // a text canary, or ""
  std::optional<std::int64_t> number;  // an integer canary
};

// Text columns that cannot carry a canary (their values are checked by the database or the
// use case), with what they hold.
const std::set<ColumnKey> kNoTextCanary = {
    {"accounts", "language"},   // 'de' or 'en'
    {"enrolments", "state"},    // a state
    {"tandems", "state"},       // a state
    {"tandems", "origin"},      // 'run' or 'request'
    {"meetings", "state"},      // a state
    {"meetings", "time_zone"},  // an IANA zone
    {"audit_log", "action"},    // the application's action names
    {"audit_log", "actor"},     // "account:<id>"
};

class PersonalData : public BackendTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    if (GetParam() == "postgresql") {
      // The fixture's scratch store hides its SqlStore; this test reads the schema through it.
      const char* url = std::getenv("TANDEM_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set";
      auto database = store::ScratchPostgresDatabase::Create(url);
      ASSERT_TRUE(database.ok()) << database.status().message();
      scratch_ = std::move(database).value();
      auto opened = store::OpenStore(scratch_->url());
      ASSERT_TRUE(opened.ok()) << opened.status().message();
      store_ = std::move(opened).value();
    } else {
      BackendTest::SetUp();
    }
    if (!store_) return;
    workspace_ = std::make_unique<Workspace>(*store_, clock_, master_);
    surveys_ = std::make_unique<Surveys>(*store_, clock_, "https://tandem.example");
  }

  // A canary text for one column: unique, and never a substring of base64.
  std::string Text(const std::string& table, const std::string& column) {
    std::string text = "canary-" + table + "-" + column + "-7q";
    canaries_.push_back({table, column, text, std::nullopt});
    return text;
  }
  std::int64_t Number(const std::string& table, const std::string& column, std::int64_t value) {
    canaries_.push_back({table, column, "", value});
    return value;
  }

  void TearDown() override {
    BackendTest::TearDown();
    scratch_.reset();  // after the store closed its connections
  }

  void Seed();

  std::unique_ptr<store::ScratchPostgresDatabase> scratch_;

  ManualClock clock_{kStart};
  SecretKey master_ = SecretKey::Generate();
  std::unique_ptr<Workspace> workspace_;
  std::unique_ptr<Surveys> surveys_;
  std::vector<Canary> canaries_;
  std::string partner_private_;  // the partner's private note: never in the caller's export
  RowId me_ = 0, partner_ = 0, manager_ = 0, programme_ = 0, tandem_ = 0, account_ = 0;
  RowId partner_account_ = 0, session_ = 0;
};
TANDEM_BACKENDS(PersonalData);

void PersonalData::Seed() {
  const Status seeded = store_->Write([&](StoreTx& tx) {
    PersonRecord manager;
    manager.external_id = "E-MANAGER";
    manager.name = "Mona Manager";
    manager.level = 8;
    manager.created_at = manager.updated_at = kStart;
    manager_ = tx.InsertPerson(manager);

    PersonRecord me;
    me.external_id = Text("people", "external_id");
    me.name = Text("people", "name");
    me.email = Text("people", "email") + "@example.test";
    me.department = Text("people", "department");
    me.location = Text("people", "location");
    me.manager = manager_;
    me.level = static_cast<int>(Number("people", "level", 77));
    me.languages = {Text("people", "languages")};
    me.created_at = Number("people", "created_at", 1'111'111'000'001);
    me.updated_at = Number("people", "updated_at", 1'111'111'000'002);
    me_ = tx.InsertPerson(me);

    PersonRecord partner;
    partner.external_id = "E-PARTNER";
    partner.name = "Pat Partner";
    partner.email = "pat@example.test";
    partner.level = 2;
    partner.created_at = partner.updated_at = kStart;
    partner_ = tx.InsertPerson(partner);

    ProgrammeRecord p;
    p.name = "Data rights cohort";
    p.state = "running";
    p.topics = {{"ai", "KI", "AI", 2}, {"cloud", "Cloud", "Cloud", 1}};
    p.agreement_de = "Was im Tandem gesagt wird, bleibt im Tandem.";
    p.agreement_en = "What is said in the tandem stays in the tandem.";
    p.partner_feedback = true;
    p.created_at = p.updated_at = kStart;
    programme_ = tx.InsertProgramme(p);

    AccountRecord account;
    account.email = Text("accounts", "email") + "@example.test";
    account.person = me_;
    account.display_name = Text("accounts", "display_name");
    account.password_hash = Text("accounts", "password_hash");
    account.language = Language::kEnglish;
    account.created_at = Number("accounts", "created_at", 1'111'111'000'003);
    account.updated_at = Number("accounts", "updated_at", 1'111'111'000'004);
    account_ = tx.InsertAccount(account);
    AccountRecord theirs;
    theirs.email = "pat@example.test";
    theirs.person = partner_;
    theirs.created_at = theirs.updated_at = kStart;
    partner_account_ = tx.InsertAccount(theirs);

    SessionRecord session;
    session.token_hash = Text("sessions", "token_hash");
    session.csrf_hash = Text("sessions", "csrf_hash");
    session.account = account_;
    session.created_at = Number("sessions", "created_at", 1'111'111'000'005);
    session.last_seen_at = Number("sessions", "last_seen_at", 1'111'111'000'006);
    session.expires_at = Number("sessions", "expires_at", 4'111'111'000'007);
    session_ = tx.InsertSession(session);
    OneTimeTokenRecord link;
    link.token_hash = Text("one_time_tokens", "token_hash");
    link.account = account_;
    link.created_at = kStart;
    link.expires_at = kStart + 1000;
    tx.InsertOneTimeToken(link);
    ApiTokenRecord token;
    token.token_hash = Text("api_tokens", "token_hash");
    token.account = account_;
    token.name = Text("api_tokens", "name");
    token.scopes = {Text("api_tokens", "scopes")};
    token.created_at = Number("api_tokens", "created_at", 1'111'111'000'008);
    tx.InsertApiToken(token);
    tx.RecordSignInFailure(account_, Text("sign_in_failures", "client"), kStart);
    tx.AddProgrammeAdmin(programme_, account_, kStart);

    EnrolmentRecord e;
    e.programme = programme_;
    e.person = me_;
    e.mentor_capacity = 1;
    e.state = EnrolmentState::kEnrolled;
    e.languages = {Text("enrolments", "languages")};
    e.availability = Text("enrolments", "availability");
    e.invited_at = Number("enrolments", "invited_at", 1'111'111'000'009);
    e.enrolled_at = Number("enrolments", "enrolled_at", 1'111'111'000'010);
    e.created_at = e.updated_at = kStart;
    const RowId enrolment = tx.InsertEnrolment(e);
    tx.ReplaceAnswers(enrolment,
                      {{Text("answers", "topic_key"), 2, 3, Text("answers", "experience")}});

    RoleOfferRecord offer;
    offer.person = me_;
    offer.mentor_topics = {Text("role_offers", "mentor_topics")};
    offer.mentee_topics = {Text("role_offers", "mentee_topics")};
    offer.version = kAnyRoleOfferVersion;
    offer.updated_at = Number("role_offers", "updated_at", 1'111'111'000'011);
    tx.PutRoleOffer(offer);

    TandemRecord t;
    t.programme = programme_;
    t.mentor = me_;
    t.mentee = partner_;
    t.topics = {Text("roadmap_items", "topic")};  // the roadmap starts from the topics
    t.state = TandemState::kActive;
    t.score = Number("tandems", "score", 987'654);
    t.mentor_accepted_at = Number("tandems", "mentor_accepted_at", 1'111'111'000'012);
    t.mentee_accepted_at = Number("tandems", "mentee_accepted_at", 1'111'111'000'013);
    t.activated_at = Number("tandems", "activated_at", 1'111'111'000'014);
    t.created_at = t.updated_at = kStart;
    tandem_ = tx.InsertTandem(t);

    LeadershipAskRecord ask;
    ask.programme = programme_;
    ask.author = me_;
    ask.topics = {Text("leadership_asks", "topics")};
    ask.text = Text("leadership_asks", "text");
    ask.created_at = Number("leadership_asks", "created_at", 1'111'111'000'015);
    tx.InsertLeadershipAsk(ask);
    tx.PutCalendarFeed(me_, Text("calendar_feeds", "token_hash"),
                       Number("calendar_feeds", "created_at", 1'111'111'000'016));

    SurveyRecord survey;
    survey.programme = programme_;
    survey.kind = SurveyKind::kMidTerm;
    survey.audience = SurveyAudience::kMentors;
    survey.definition = "{}";
    survey.state = SurveyState::kOpen;
    survey.created_at = survey.updated_at = kStart;
    const RowId survey_id = tx.InsertSurvey(survey);
    tx.RecordSurveyInvitation(survey_id, me_,
                              Number("survey_invitations", "invited_at", 1'111'111'000'017));
    SurveyResponseRecord response;
    response.survey = survey_id;
    response.person = me_;
    response.answers = json{{"comment", Text("survey_responses", "answers")}}.dump();
    response.created_at = Number("survey_responses", "created_at", 1'111'111'000'018);
    response.updated_at = kStart;
    tx.InsertSurveyResponse(response);

    MailRecord mail;
    mail.to_address = me.email;
    canaries_.push_back({"outbox", "to_address", me.email, std::nullopt});
    mail.subject = Text("outbox", "subject");
    mail.text_body = Text("outbox", "text_body");
    mail.html_body = Text("outbox", "html_body");
    mail.created_at = Number("outbox", "created_at", 1'111'111'000'019);
    mail.next_attempt_at = kStart;
    tx.EnqueueMail(mail);
    MailRecord to_account = mail;
    to_account.to_address = account.email;
    to_account.subject = "Your sign-in link";
    to_account.text_body = to_account.html_body = "a link";
    to_account.created_at = kStart;
    tx.EnqueueMail(to_account);
    // A reminder still waiting for the partner names the person.
    MailRecord reminder;
    reminder.to_address = "pat@example.test";
    reminder.subject = "Tomorrow's meeting";
    reminder.text_body = "Tomorrow you meet " + me.name + ".";
    reminder.html_body = "<p>Tomorrow you meet someone.</p>";
    reminder.created_at = reminder.next_attempt_at = kStart;
    tx.EnqueueMail(reminder);

    tx.PutPairRule({programme_, me_, partner_, PairRuleKind::kPin, "cli", kStart});
    tx.AppendAudit({0, kStart, "account:" + std::to_string(account_), "profile.update", "account",
                    account_, ""});
    return Status::Ok();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.message();

  // The workspace through its use cases: sealed content, the partner's private note too.
  Caller me;
  me.account = account_;
  me.person = me_;
  me.session = session_;
  me.language = Language::kEnglish;
  Caller partner;
  partner.account = partner_account_;
  partner.person = partner_;
  partner.session = 999;
  ASSERT_TRUE(workspace_->AcceptAgreement(me, tandem_).ok());
  ASSERT_TRUE(workspace_->AcceptAgreement(partner, tandem_).ok());
  ASSERT_TRUE(workspace_->AddRoadmapItem(me, tandem_, Text("roadmap_items", "ciphertext")).ok());
  ASSERT_TRUE(
      workspace_->AddNote(me, tandem_, {"shared", Text("notes", "ciphertext"), {}, false}).ok());
  ASSERT_TRUE(
      workspace_->AddNote(me, tandem_, {"mine", "private " + Text("notes", "ciphertext"), {}, true})
          .ok());
  partner_private_ = "canary-partner-private-note-7q";
  ASSERT_TRUE(workspace_->AddNote(partner, tandem_, {"theirs", partner_private_, {}, true}).ok());
  MeetingInput meeting;
  meeting.starts_at = kStart + 86'400'000;
  meeting.place = Text("meetings", "ciphertext");
  meeting.video_link = "https://meet.example/canary-meeting-link-7q";
  Result<MeetingView> proposed = workspace_->ProposeMeeting(me, tandem_, meeting);
  ASSERT_TRUE(proposed.ok()) << proposed.status().message();

  // What the tandem holds beside the workspace: feedback, reasons, the caller's own reasons.
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    PartnerFeedbackRecord mine{tandem_, me_, Text("partner_feedback", "text")};
                    mine.version = kAnyRoleOfferVersion;
                    mine.created_at = Number("partner_feedback", "created_at", 1'111'111'000'020);
                    mine.updated_at = kStart;
                    tx.PutPartnerFeedback(mine);
                    TandemRecord t = *tx.FindTandem(tandem_);
                    t.topics = {Text("tandems", "topics")};
                    t.reasons = Text("tandems", "reasons");
                    t.decline_reason = Text("tandems", "decline_reason");
                    t.declined_by = me_;
                    t.dissolve_reason = Text("tandems", "dissolve_reason");
                    t.dissolved_by = me_;
                    EXPECT_TRUE(tx.UpdateTandem(t));
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(PersonalData, EveryColumnIsListedExportedAndErased) {
  if (!store_) return;
  // Given the table in docs/personal-data.md and the live schema, they name the same columns.
  std::vector<std::string> problems;
  const std::map<ColumnKey, DocRow> doc = ReadDoc(&problems);
  const std::map<std::string, std::vector<Column>> schema = LiveSchema(*store_);
  ASSERT_FALSE(schema.empty());
  std::set<ColumnKey> live;
  for (const auto& [table, columns] : schema) {
    for (const Column& c : columns) {
      live.insert({table, c.name});
      if (!doc.count({table, c.name})) {
        problems.push_back(table + "." + c.name +
                           " is in the schema but not in docs/personal-data.md: add its row");
      }
    }
  }
  for (const auto& [key, row] : doc) {
    if (!live.count(key)) {
      problems.push_back(key.first + "." + key.second +
                         " is in docs/personal-data.md but not in the schema");
    }
  }
  for (const std::string& p : problems) ADD_FAILURE() << p;
  ASSERT_TRUE(problems.empty());

  // When one person touching every personal table downloads their data...
  Seed();
  if (HasFatalFailure()) return;
  for (const auto& [table, columns] : schema) {
    for (const Column& c : columns) {
      const DocRow& row = doc.at({table, c.name});
      if (!row.personal || row.export_path.empty() || !c.text ||
          kNoTextCanary.count({table, c.name})) {
        continue;
      }
      bool seeded = false;
      for (const Canary& k : canaries_) seeded = seeded || (k.table == table && k.column == c.name);
      EXPECT_TRUE(seeded) << table << "." << c.name
                          << " is personal text in the export, but this test seeds no canary "
                             "into it: add one in Seed()";
    }
  }
  Caller caller;
  caller.account = account_;
  caller.person = me_;
  caller.session = session_;
  DataRights rights(*store_, clock_, *workspace_, *surveys_);
  Result<PersonalDataExport> exported = rights.Export(caller);
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  const json document = http::ToJson(exported.value(), session_);
  const std::string text = document.dump();

  // ...every exported column's path is there and holds its canary; no other canary is in it.
  for (const auto& [key, row] : doc) {
    if (row.export_path.empty()) continue;
    EXPECT_FALSE(ResolvePath(document, row.export_path).empty())
        << key.first << "." << key.second << ": the export has nothing at " << row.export_path;
  }
  for (const Canary& k : canaries_) {
    const DocRow& row = doc.at({k.table, k.column});
    if (row.export_path.empty()) {
      EXPECT_EQ(text.find(k.text.empty() ? "\x01" : k.text), std::string::npos)
          << k.table << "." << k.column << " is not exported, but its canary is in the export";
      continue;
    }
    bool found = false;
    for (const json* node : ResolvePath(document, row.export_path)) {
      found = found || Holds(*node, k.text, k.number);
    }
    EXPECT_TRUE(found) << k.table << "." << k.column << ": its canary is not at "
                       << row.export_path;
  }
  EXPECT_EQ(text.find(partner_private_), std::string::npos) << "the partner's private note";
  EXPECT_EQ(document["language"], "en");
  EXPECT_FALSE(document["summary"].empty());
  EXPECT_EQ(document["tandems"][0]["content"], "included");

  // Without a master key the export succeeds and says the content is unavailable.
  Workspace keyless(*store_, clock_, std::nullopt);
  DataRights without_key(*store_, clock_, keyless, *surveys_);
  Result<PersonalDataExport> partial = without_key.Export(caller);
  ASSERT_TRUE(partial.ok()) << partial.status().message();
  const json partial_json = http::ToJson(partial.value(), session_);
  EXPECT_EQ(partial_json["tandems"][0]["content"], "unavailable");
  EXPECT_TRUE(partial_json["tandems"][0]["notes"].empty());
  // An API token does not download it.
  Caller token = caller;
  token.session = 0;
  token.api_token = 7;
  EXPECT_FALSE(rights.Export(token).ok());

  // When the person is erased...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(me_, kStart + 5));
                    return Status::Ok();
                  })
                  .ok());
  // ...no canary is left in any text column but those the table keeps...
  auto& sql = dynamic_cast<store::SqlStore&>(*store_).sql();
  const Status scanned = sql.InReadTransaction([&](store::SqlSession& db) {
    for (const auto& [table, columns] : schema) {
      for (const Column& c : columns) {
        if (!c.text) continue;
        const bool kept = doc.at({table, c.name}).erasure.rfind("kept", 0) == 0;
        for (const store::SqlRow& r : db.Query("SELECT " + c.name + " FROM " + table, {})) {
          const std::string value = r.Text(0);
          for (const Canary& k : canaries_) {
            if (k.text.empty() || value.find(k.text) == std::string::npos) continue;
            EXPECT_TRUE(kept) << "after the erasure, the canary of " << k.table << "." << k.column
                              << " is still in " << table << "." << c.name;
          }
          EXPECT_EQ(value.find(partner_private_), std::string::npos);
        }
      }
    }
    // ...the partner keeps the workspace (its key, the shared note, the roadmap, the meeting and
    // their own private note); the person's private note is gone...
    const auto key =
        db.Query("SELECT wrapped_key, key_erased_at FROM workspaces WHERE tandem_id = ?",
                 {store::SqlValue{tandem_}});
    EXPECT_NE(key.at(0).Text(0), "");
    EXPECT_TRUE(key.at(0).IsNull(1));
    const auto notes_left = [&](RowId author, int is_private) {
      return db
          .Query(
              "SELECT COUNT(*) FROM notes WHERE tandem_id = ? AND author_id = ? AND "
              "is_private = ?",
              {store::SqlValue{tandem_}, store::SqlValue{author},
               store::SqlValue{std::int64_t{is_private}}})
          .at(0)
          .Int(0);
    };
    EXPECT_EQ(notes_left(me_, 1), 0) << "the erased person's private note";
    EXPECT_EQ(notes_left(me_, 0), 1) << "the shared note stays for the partner";
    EXPECT_EQ(notes_left(partner_, 1), 1) << "the partner's private note";
    for (const char* table : {"accounts", "sessions", "api_tokens", "one_time_tokens"}) {
      const char* column = std::string(table) == "accounts" ? "id" : "account_id";
      EXPECT_EQ(db.Query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE " + column + " = ?",
                         {store::SqlValue{account_}})
                    .at(0)
                    .Int(0),
                0)
          << table;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(scanned.ok()) << scanned.message();

  // When the partner, the last member of the tandem, is erased too, the content goes with its
  // key (crypto-shredding).
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(partner_, kStart + 6));
                    return Status::Ok();
                  })
                  .ok());
  const Status shredded = sql.InReadTransaction([&](store::SqlSession& db) {
    const auto key =
        db.Query("SELECT wrapped_key, key_erased_at FROM workspaces WHERE tandem_id = ?",
                 {store::SqlValue{tandem_}});
    EXPECT_EQ(key.at(0).Text(0), "");
    EXPECT_FALSE(key.at(0).IsNull(1));
    for (const char* table : {"roadmap_items", "notes", "meetings", "partner_feedback"}) {
      EXPECT_EQ(db.Query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE tandem_id = ?",
                         {store::SqlValue{tandem_}})
                    .at(0)
                    .Int(0),
                0)
          << table;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(shredded.ok()) << shredded.message();
}

TEST_P(PersonalData, TheStoreCopyKnowsEveryColumnOfTheLiveSchema) {
  if (!store_) return;
  // `tandem store copy` moves the columns store::AllTables() lists: a column it does not know
  // would be lost in a copy (schema_migrations is written by the migrations themselves).
  std::map<std::string, std::set<std::string>> live;
  for (const auto& [table, columns] : LiveSchema(*store_)) {
    if (table == "schema_migrations") continue;
    for (const Column& c : columns) live[table].insert(c.name);
  }
  std::map<std::string, std::set<std::string>> copied;
  for (const store::TableSpec& t : store::AllTables()) {
    for (const std::string_view c : t.columns) copied[std::string(t.name)].insert(std::string(c));
  }
  EXPECT_EQ(copied, live);
}

}  // namespace
}  // namespace tandem
