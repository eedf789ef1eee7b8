#include "app/participants_csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

using Strings = std::vector<std::string>;

struct Parsed {
  ParticipantsFile file;
  InputProblems problems;
};

Parsed Read(std::string_view text, const std::vector<Topic>& catalogue = {}) {
  Parsed parsed;
  ReadParticipants("p.csv", text, catalogue, &parsed.file, &parsed.problems);
  return parsed;
}

// Reads `text`, which must be free of errors.
ParticipantsFile ReadOk(std::string_view text, const std::vector<Topic>& catalogue = {}) {
  Parsed parsed = Read(text, catalogue);
  EXPECT_TRUE(parsed.problems.ok()) << testing::PrintToString(parsed.problems.errors);
  return std::move(parsed.file);
}

// The errors of reading `text`.
Strings Errors(std::string_view text) { return Read(text).problems.errors; }

const Person* Find(const Cohort& cohort, std::string_view id) {
  for (const Person& p : cohort.people) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

Strings Keys(const std::vector<Topic>& topics) {
  Strings keys;
  for (const Topic& t : topics) keys.push_back(t.key);
  return keys;
}

Strings Ids(const Cohort& cohort) {
  Strings ids;
  for (const Person& p : cohort.people) ids.push_back(p.id);
  return ids;
}

void ExpectSamePerson(const Person& a, const Person& b) {
  SCOPED_TRACE("person " + a.id);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.manager_id, b.manager_id);
  EXPECT_EQ(a.level, b.level);
  EXPECT_EQ(a.languages, b.languages);
  EXPECT_EQ(a.mentor_capacity, b.mentor_capacity);
  EXPECT_EQ(a.mentee_capacity, b.mentee_capacity);
  EXPECT_EQ(a.interest, b.interest);
  EXPECT_EQ(a.skill, b.skill);
  ASSERT_EQ(a.experience.size(), b.experience.size());
  for (size_t i = 0; i < a.experience.size(); ++i) {
    EXPECT_EQ(a.experience[i].topic, b.experience[i].topic);
    EXPECT_EQ(a.experience[i].text, b.experience[i].text);
  }
}

void ExpectSameCohort(const Cohort& a, const Cohort& b) {
  ASSERT_EQ(a.topics.size(), b.topics.size());
  for (size_t t = 0; t < a.topics.size(); ++t) {
    EXPECT_EQ(a.topics[t].key, b.topics[t].key);
    EXPECT_EQ(a.topics[t].name, b.topics[t].name);
    EXPECT_EQ(a.topics[t].weight, b.topics[t].weight);
  }
  ASSERT_EQ(Ids(a), Ids(b));
  for (size_t i = 0; i < a.people.size(); ++i) ExpectSamePerson(a.people[i], b.people[i]);
}

constexpr std::string_view kSmallCohort =
    "id,name,manager_id,level,languages,mentor_capacity,mentee_capacity,interest:ai,skill:ai,"
    "interest:cloud,skill:cloud,experience:cloud\n"
    "boss,Bea Boss,,3,de;en,0,1,3,0,2,0,\n"
    "dev,Dan Dev,boss,1,en,2,0,0,3,0,2,\"Ran the migration, twice\"\n"
    "intern,Ina,dev,0,de,1,0,0,1,0,0,\n";

TEST(ParticipantsCsv, ReadsEveryColumn) {
  const ParticipantsFile file = ReadOk(
      "id,name,email,department,location,manager_id,level,languages,mentor_capacity,"
      "mentee_capacity,interest:ai,skill:ai,experience:ai\n"
      "m1,Mia Muster,mia@example.com,IT,Köln,,2,de;en,0,3,3,0,\n"
      "d7,\"Doe, Jo\",jo@example.com,Sales,Berlin,m1,0,en,2,0,0,3,\"Built \"\"chatbots\"\"\"\n");
  ASSERT_EQ(Ids(file.cohort), (Strings{"d7", "m1"}));
  EXPECT_EQ(file.lines, (std::vector<std::int64_t>{3, 2}));
  ASSERT_EQ(Keys(file.cohort.topics), (Strings{"ai"}));
  EXPECT_EQ(file.cohort.topics[0].name, "ai");
  EXPECT_EQ(file.cohort.topics[0].weight, 1);

  const Person& jo = file.cohort.people[0];
  EXPECT_EQ(jo.name, "Doe, Jo");
  EXPECT_EQ(jo.email, "jo@example.com");
  EXPECT_EQ(jo.department, "Sales");
  EXPECT_EQ(jo.location, "Berlin");
  EXPECT_EQ(jo.manager_id, "m1");
  EXPECT_EQ(jo.level, 0);
  EXPECT_EQ(jo.languages, (Strings{"en"}));
  EXPECT_EQ(jo.mentor_capacity, 2);
  EXPECT_EQ(jo.mentee_capacity, 0);
  EXPECT_EQ(jo.skill, (std::vector<std::uint8_t>{3}));
  EXPECT_EQ(jo.interest, (std::vector<std::uint8_t>{0}));
  EXPECT_EQ(jo.ExperienceFor(0), "Built \"chatbots\"");

  const Person& mia = file.cohort.people[1];
  EXPECT_EQ(mia.location, "Köln");
  EXPECT_EQ(mia.level, 2);
  EXPECT_EQ(mia.languages, (Strings{"de", "en"}));
  EXPECT_EQ(mia.mentee_capacity, 3);
  EXPECT_EQ(mia.interest, (std::vector<std::uint8_t>{3}));
  EXPECT_TRUE(mia.experience.empty());
  EXPECT_TRUE(file.tree.IsAncestor(1, 0));
  EXPECT_EQ(file.tree.Parent(0), 1);
}

// Given the same people with columns and rows shuffled, we should read the same cohort.
TEST(ParticipantsCsv, ColumnsAndRowsInAnyOrderGiveTheSameCohort) {
  const ParticipantsFile original = ReadOk(kSmallCohort);
  const ParticipantsFile shuffled = ReadOk(
      "experience:cloud,skill:cloud,level,interest:cloud,id,mentee_capacity,skill:ai,name,"
      "languages,interest:ai,manager_id,mentor_capacity\n"
      ",0,0,0,intern,0,1,Ina,de,0,dev,1\n"
      ",0,3,2,boss,1,0,Bea Boss,de;en,3,,0\n"
      "\"Ran the migration, twice\",2,1,0,dev,0,3,Dan Dev,en,0,boss,2\n");
  ExpectSameCohort(original.cohort, shuffled.cohort);
  EXPECT_EQ(WriteParticipants(original.cohort), WriteParticipants(shuffled.cohort));
  EXPECT_EQ(original.lines, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(shuffled.lines, (std::vector<std::int64_t>{3, 4, 2}));
}

TEST(ParticipantsCsv, TopicsAreSortedByKey) {
  const ParticipantsFile file = ReadOk(
      "id,interest:zeta,skill:alpha,level,interest:mid,skill:zeta\n"
      "a,1,2,0,3,0\n");
  ASSERT_EQ(Keys(file.cohort.topics), (Strings{"alpha", "mid", "zeta"}));
  const Person& a = file.cohort.people[0];
  EXPECT_EQ(a.interest, (std::vector<std::uint8_t>{0, 3, 1}));
  EXPECT_EQ(a.skill, (std::vector<std::uint8_t>{2, 0, 0}));
}

TEST(ParticipantsCsv, EmptyValuesTakeDefaults) {
  const ParticipantsFile file = ReadOk(
      "id,level,mentor_capacity,mentee_capacity,interest:ai,skill:ai,languages,manager_id\n"
      "a,1,,,,,,\n");
  const Person& a = file.cohort.people[0];
  EXPECT_EQ(a.mentor_capacity, 0);
  EXPECT_EQ(a.mentee_capacity, 0);
  EXPECT_EQ(a.interest, (std::vector<std::uint8_t>{0}));
  EXPECT_EQ(a.skill, (std::vector<std::uint8_t>{0}));
  EXPECT_TRUE(a.languages.empty());
  EXPECT_TRUE(a.manager_id.empty());
}

TEST(ParticipantsCsv, OnlyIdAndLevelAreRequired) {
  const ParticipantsFile file = ReadOk("level,id\n2,x\n");
  ASSERT_EQ(file.cohort.people.size(), 1u);
  EXPECT_EQ(file.cohort.people[0].level, 2);
  EXPECT_TRUE(file.cohort.topics.empty());
}

TEST(ParticipantsCsv, LanguagesAreSplitOnSemicolons) {
  const ParticipantsFile file = ReadOk(
      "id,level,languages\n"
      "a,0,de;en\n"
      "b,0,\" fr ; de;;fr \"\n"
      "c,0,en\n");
  EXPECT_EQ(Find(file.cohort, "a")->languages, (Strings{"de", "en"}));
  EXPECT_EQ(Find(file.cohort, "b")->languages, (Strings{"fr", "de"}));
  EXPECT_EQ(Find(file.cohort, "c")->languages, (Strings{"en"}));
}

TEST(ParticipantsCsv, RatingsAndLevelsAtTheirBounds) {
  const ParticipantsFile file = ReadOk(
      "id,level,interest:ai,skill:ai,mentor_capacity\n"
      "a,-5,0,3,100\n"
      "b,1000,3,0,0\n");
  EXPECT_EQ(Find(file.cohort, "a")->level, -5);
  EXPECT_EQ(Find(file.cohort, "a")->skill, (std::vector<std::uint8_t>{3}));
  EXPECT_EQ(Find(file.cohort, "a")->mentor_capacity, 100);
  EXPECT_EQ(Find(file.cohort, "b")->interest, (std::vector<std::uint8_t>{3}));
}

TEST(ParticipantsCsv, UnknownColumnsGiveExactlyOneWarning) {
  const Parsed parsed = Read(
      "id,shoe_size,level,,experience:nowhere,favourite colour\n"
      "a,44,1,x,y,blue\n");
  EXPECT_TRUE(parsed.problems.ok());
  EXPECT_EQ(parsed.problems.warnings,
            (Strings{"p.csv:1: ignoring unknown columns 'shoe_size', '(empty name)', "
                     "'experience:nowhere', 'favourite colour'"}));
  EXPECT_EQ(parsed.file.cohort.people.size(), 1u);
}

TEST(ParticipantsCsv, NoWarningWithoutUnknownColumns) {
  EXPECT_TRUE(Read(kSmallCohort).problems.warnings.empty());
}

TEST(ParticipantsCsv, MissingIdColumn) {
  EXPECT_EQ(Errors("name,level\nAnna,1\n"),
            (Strings{"p.csv:1: column 'id': required column is missing"}));
}

TEST(ParticipantsCsv, MissingLevelColumn) {
  EXPECT_EQ(Errors("id,name\na,Anna\n"),
            (Strings{"p.csv:1: column 'level': required column is missing"}));
}

TEST(ParticipantsCsv, MissingBothRequiredColumns) {
  EXPECT_EQ(Errors("name\nAnna\n"),
            (Strings{"p.csv:1: column 'id': required column is missing",
                     "p.csv:1: column 'level': required column is missing"}));
}

TEST(ParticipantsCsv, ColumnTwiceInHeader) {
  EXPECT_EQ(Errors("id,level,level\na,1,1\n"),
            (Strings{"p.csv:1: column 'level': appears twice in the header"}));
}

TEST(ParticipantsCsv, DuplicateIdNamesBothLines) {
  EXPECT_EQ(Errors("id,level\na,1\nb,1\n\"a\",2\n"),
            (Strings{"p.csv:4: column 'id': duplicate id 'a' (first on line 2)"}));
}

TEST(ParticipantsCsv, EmptyId) {
  EXPECT_EQ(Errors("id,level\na,1\n,1\n"), (Strings{"p.csv:3: column 'id': the id is empty"}));
}

TEST(ParticipantsCsv, NonIntegerLevel) {
  EXPECT_EQ(Errors("id,level\na,one\n"),
            (Strings{"p.csv:2: column 'level': 'one' is not an integer"}));
  EXPECT_EQ(Errors("id,level\na,1.5\n"),
            (Strings{"p.csv:2: column 'level': '1.5' is not an integer"}));
}

TEST(ParticipantsCsv, EmptyLevel) {
  EXPECT_EQ(Errors("id,level\na,\n"), (Strings{"p.csv:2: column 'level': a value is required"}));
}

TEST(ParticipantsCsv, RatingAboveThree) {
  EXPECT_EQ(Errors("id,level,interest:ai\na,1,4\n"),
            (Strings{"p.csv:2: column 'interest:ai': '4' is out of range 0..3"}));
}

TEST(ParticipantsCsv, NegativeRating) {
  EXPECT_EQ(Errors("id,level,skill:ai\na,1,-1\n"),
            (Strings{"p.csv:2: column 'skill:ai': '-1' is out of range 0..3"}));
}

TEST(ParticipantsCsv, NonIntegerRating) {
  EXPECT_EQ(Errors("id,level,skill:ai\na,1,high\n"),
            (Strings{"p.csv:2: column 'skill:ai': 'high' is not an integer"}));
}

TEST(ParticipantsCsv, HugeNumberIsOutOfRange) {
  EXPECT_EQ(Errors("id,level\na,99999999999999999999\n"),
            (Strings{"p.csv:2: column 'level': '99999999999999999999' is out of range "
                     "-1000..1000"}));
}

TEST(ParticipantsCsv, NegativeCapacity) {
  EXPECT_EQ(Errors("id,level,mentor_capacity,mentee_capacity\na,1,-1,0\nb,1,0,-2\n"),
            (Strings{"p.csv:2: column 'mentor_capacity': '-1' is out of range 0..100",
                     "p.csv:3: column 'mentee_capacity': '-2' is out of range 0..100"}));
}

TEST(ParticipantsCsv, UnknownManager) {
  EXPECT_EQ(Errors("id,level,manager_id\na,1,\nb,0,nobody\n"),
            (Strings{"p.csv:3: column 'manager_id': unknown manager 'nobody'"}));
}

// Given a -> b -> c -> a, each of the three people gets an error on their own line.
TEST(ParticipantsCsv, ManagementCycleNamesEachPersonInIt) {
  const Strings errors = Errors(
      "id,level,manager_id\n"
      "root,3,\n"
      "c,1,a\n"
      "b,1,c\n"
      "a,1,b\n"
      "outside,0,root\n");
  const std::string cycle = "column 'manager_id': management cycle: a -> b -> c -> a";
  EXPECT_EQ(errors, (Strings{"p.csv:3: " + cycle, "p.csv:4: " + cycle, "p.csv:5: " + cycle}));
}

TEST(ParticipantsCsv, OwnManagerIsACycle) {
  EXPECT_EQ(Errors("id,level,manager_id\na,1,a\n"),
            (Strings{"p.csv:2: column 'manager_id': a person cannot be their own manager"}));
}

TEST(ParticipantsCsv, QuoteInsideUnquotedField) {
  const Strings errors = Errors("id,level,name\na,1,Anna\nb,1,Jo \"the boss\" Doe\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("p.csv:3: ", 0), 0u) << errors[0];
}

TEST(ParticipantsCsv, QuoteNeverClosed) {
  const Strings errors = Errors("id,level,name\na,1,Anna\nb,1,\"Jo\nc,1,Carl\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "p.csv:3: a quoted field is never closed");
}

TEST(ParticipantsCsv, EmptyFile) {
  EXPECT_EQ(Errors(""), (Strings{"p.csv:1: the file is empty (expected a header row)"}));
  EXPECT_EQ(Errors("\n\n"), (Strings{"p.csv:1: the file is empty (expected a header row)"}));
}

TEST(ParticipantsCsv, HeaderWithoutRows) {
  EXPECT_EQ(Errors("id,level\n"),
            (Strings{"p.csv:1: no participants: the file has a header but no rows"}));
}

TEST(ParticipantsCsv, WrongFieldCount) {
  EXPECT_EQ(Errors("id,level,name\na,1,Anna\nb,2\nc,3,Carl,extra\n"),
            (Strings{"p.csv:3: expected 3 fields as in the header, found 2",
                     "p.csv:4: expected 3 fields as in the header, found 4"}));
}

TEST(ParticipantsCsv, InvalidUtf8) {
  EXPECT_EQ(Errors("id,level,name\na,1,Ren\xE9\n"),
            (Strings{"p.csv:2: column 'name': not valid UTF-8"}));
  EXPECT_EQ(Errors("id,level,experience:ai,skill:ai\na,1,\"\xC0\xAF\",1\n"),
            (Strings{"p.csv:2: column 'experience:ai': not valid UTF-8"}));
  // A header name that is not UTF-8 is named by its position (found by fuzzing: it used to
  // end in a JSON library error naming neither the file nor the column).
  EXPECT_EQ(Errors("id,level,interest:a\xFF\na,1,2\n"),
            (Strings{"p.csv:1: column 3: the name is not valid UTF-8"}));
}

TEST(ParticipantsCsv, ByteOrderMarkBeforeHeader) {
  const ParticipantsFile file = ReadOk("\xEF\xBB\xBFid,level\na,1\n");
  EXPECT_EQ(Ids(file.cohort), (Strings{"a"}));
}

// Given several bad rows and cells, every problem is reported, not only the first.
TEST(ParticipantsCsv, EveryErrorIsReported) {
  Strings errors = Errors(
      "id,level,interest:ai,mentor_capacity,manager_id\n"
      "a,x,1,0,\n"
      "b,1,7,-1,\n"
      "b,1,0,0,\n"
      "c,1,0,0,ghost\n"
      "d,1\n");
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors, (Strings{
                        "p.csv:2: column 'level': 'x' is not an integer",
                        "p.csv:3: column 'interest:ai': '7' is out of range 0..3",
                        "p.csv:3: column 'mentor_capacity': '-1' is out of range 0..100",
                        "p.csv:4: column 'id': duplicate id 'b' (first on line 3)",
                        "p.csv:5: column 'manager_id': unknown manager 'ghost'",
                        "p.csv:6: expected 5 fields as in the header, found 2",
                    }));
}

TEST(ParticipantsCsv, ErrorsBeyondTheLimitAreCounted) {
  std::string text = "id,level\n";
  for (int i = 0; i < 150; ++i) text += "p" + std::to_string(i) + ",bad\n";
  const Parsed parsed = Read(text);
  EXPECT_EQ(parsed.problems.errors.size(), InputProblems::kMaxErrors);
  EXPECT_EQ(parsed.problems.omitted, 50);
  EXPECT_FALSE(parsed.problems.ok());
  EXPECT_EQ(parsed.problems.errors.front(), "p.csv:2: column 'level': 'bad' is not an integer");
}

// Regression: a manager whose row is rejected (here for its level) must not make every report
// of theirs fail with "unknown manager": the manager is in the file, and the error is misleading.
TEST(ParticipantsCsv, RejectedManagerRowIsNotAnUnknownManager) {
  EXPECT_EQ(Errors("id,level,manager_id\nboss,high,\nworker,1,boss\n"),
            (Strings{"p.csv:2: column 'level': 'high' is not an integer"}));
}

TEST(ParticipantsCsv, CatalogueGivesNamesAndWeights) {
  InputProblems problems;
  const std::vector<Topic> catalogue = ReadTopics("t.csv",
                                                  "key,name,weight\n"
                                                  "ai,Artificial Intelligence,3\n"
                                                  "cloud,\"Cloud, hybrid and public\",\n"
                                                  "unused,Not asked,2\n",
                                                  &problems);
  EXPECT_TRUE(problems.ok()) << testing::PrintToString(problems.errors);
  ASSERT_EQ(catalogue.size(), 3u);
  EXPECT_EQ(catalogue[1].name, "Cloud, hybrid and public");
  EXPECT_EQ(catalogue[1].weight, 1);

  const ParticipantsFile file = ReadOk(kSmallCohort, catalogue);
  ASSERT_EQ(Keys(file.cohort.topics), (Strings{"ai", "cloud"}));
  EXPECT_EQ(file.cohort.topics[0].name, "Artificial Intelligence");
  EXPECT_EQ(file.cohort.topics[0].weight, 3);
  EXPECT_EQ(file.cohort.topics[1].name, "Cloud, hybrid and public");
  EXPECT_EQ(file.cohort.topics[1].weight, 1);
}

TEST(ParticipantsCsv, CatalogueColumnsInAnyOrderAndOptional) {
  InputProblems problems;
  const std::vector<Topic> catalogue = ReadTopics("t.csv", "weight,key\n2,ai\n,iot\n", &problems);
  EXPECT_TRUE(problems.ok());
  ASSERT_EQ(catalogue.size(), 2u);
  EXPECT_EQ(catalogue[0].key, "ai");
  EXPECT_EQ(catalogue[0].name, "ai");
  EXPECT_EQ(catalogue[0].weight, 2);
  EXPECT_EQ(catalogue[1].weight, 1);
}

TEST(ParticipantsCsv, CatalogueRejectsZeroAndNonIntegerWeights) {
  InputProblems problems;
  ReadTopics("t.csv", "key,name,weight\nai,AI,0\ncloud,Cloud,x\niot,IoT,-2\n", &problems);
  EXPECT_EQ(problems.errors, (Strings{"t.csv:2: column 'weight': '0' is out of range 1..1000",
                                      "t.csv:3: column 'weight': 'x' is not an integer",
                                      "t.csv:4: column 'weight': '-2' is out of range 1..1000"}));
}

TEST(ParticipantsCsv, CatalogueRejectsDuplicateKey) {
  InputProblems problems;
  const std::vector<Topic> catalogue =
      ReadTopics("t.csv", "key,name,weight\nai,AI,2\ncloud,Cloud,1\nai,Again,3\n", &problems);
  EXPECT_EQ(problems.errors, (Strings{"t.csv:4: column 'key': duplicate key 'ai'"}));
  ASSERT_EQ(catalogue.size(), 2u);
  EXPECT_EQ(catalogue[0].name, "AI");
}

TEST(ParticipantsCsv, CatalogueRequiresKeyColumn) {
  InputProblems problems;
  ReadTopics("t.csv", "name,weight\nAI,2\n", &problems);
  EXPECT_EQ(problems.errors, (Strings{"t.csv:1: column 'key': required column is missing"}));
}

TEST(ParticipantsCsv, EmptyCatalogue) {
  InputProblems problems;
  ReadTopics("t.csv", "", &problems);
  EXPECT_EQ(problems.errors, (Strings{"t.csv:1: the file is empty (expected a header row)"}));
}

TEST(ParticipantsCsv, ExclusionsGivePersonIndices) {
  const ParticipantsFile file = ReadOk(kSmallCohort);  // sorted: boss, dev, intern
  InputProblems problems;
  const std::vector<std::pair<int, int>> pairs =
      ReadExclusions("x.csv", "mentee_id,mentor_id\nboss,dev\nboss,intern\n", file, &problems);
  EXPECT_TRUE(problems.ok()) << testing::PrintToString(problems.errors);
  EXPECT_EQ(pairs, (std::vector<std::pair<int, int>>{{1, 0}, {2, 0}}));
}

TEST(ParticipantsCsv, ExclusionsWithUnknownIdsAreRejected) {
  const ParticipantsFile file = ReadOk(kSmallCohort);
  InputProblems problems;
  const std::vector<std::pair<int, int>> pairs = ReadExclusions(
      "x.csv", "mentor_id,mentee_id\ndev,boss\nghost,boss\ndev,nobody\n", file, &problems);
  EXPECT_EQ(problems.errors, (Strings{"x.csv:3: column 'mentor_id': unknown person 'ghost'",
                                      "x.csv:4: column 'mentee_id': unknown person 'nobody'"}));
  EXPECT_EQ(pairs, (std::vector<std::pair<int, int>>{{1, 0}}));
}

TEST(ParticipantsCsv, ExclusionsRequireBothColumns) {
  const ParticipantsFile file = ReadOk(kSmallCohort);
  InputProblems problems;
  ReadExclusions("x.csv", "mentor_id\ndev\n", file, &problems);
  EXPECT_EQ(problems.errors, (Strings{"x.csv:1: column 'mentee_id': required column is missing"}));
}

Cohort AwkwardCohort() {
  Cohort cohort;
  cohort.topics = {{"ai", "Artificial Intelligence", 2}, {"cloud", "Cloud", 1}};
  Person boss;
  boss.id = "boss";
  boss.name = "Müller, Bea";
  boss.email = "bea@example.com";
  boss.department = "Board";
  boss.location = "Köln";
  boss.level = 3;
  boss.languages = {"de", "en"};
  boss.mentee_capacity = 2;
  boss.interest = {3, 2};
  boss.skill = {0, 1};
  Person dev;
  dev.id = "dev";
  dev.name = " Dan ";
  dev.manager_id = "boss";
  dev.level = 1;
  dev.languages = {"en"};
  dev.mentor_capacity = 3;
  dev.interest = {0, 0};
  dev.skill = {3, 2};
  dev.experience = {{0, "Built \"Ask HR\", our chatbot,\nthen trained 3 teams"},
                    {1, "Moved 40 services to the cloud; \"lift, then shift\""}};
  Person intern;
  intern.id = "intern, temp";
  intern.manager_id = "dev";
  intern.level = 0;
  intern.mentor_capacity = 1;
  intern.mentee_capacity = 1;
  intern.interest = {1, 3};
  intern.skill = {2, 0};
  intern.experience = {{0, "\"Quoted\" from start to end\""}};
  cohort.people = {boss, dev, intern};
  return cohort;
}

// Given experience texts full of quotes, commas and line breaks, writing and reading the cohort
// gives it back unchanged.
TEST(ParticipantsCsv, WriteThenReadRoundTrip) {
  const Cohort cohort = AwkwardCohort();
  const std::string text = WriteParticipants(cohort);
  const Parsed parsed = Read(text, cohort.topics);
  EXPECT_TRUE(parsed.problems.ok()) << testing::PrintToString(parsed.problems.errors);
  EXPECT_TRUE(parsed.problems.warnings.empty()) << testing::PrintToString(parsed.problems.warnings);
  ExpectSameCohort(parsed.file.cohort, cohort);
  EXPECT_EQ(WriteParticipants(parsed.file.cohort), text);
}

// Regression: AppendCsvField leaves a field with an outer tab unquoted, and ParseCsv trims
// tabs from unquoted fields, so an experience text starting with a tab loses it.
TEST(ParticipantsCsv, WriteThenReadKeepsOuterTabs) {
  Cohort cohort = AwkwardCohort();
  cohort.people[1].experience[1].text = "\tindented notes\t";
  const Parsed parsed = Read(WriteParticipants(cohort), cohort.topics);
  ASSERT_TRUE(parsed.problems.ok());
  EXPECT_EQ(parsed.file.cohort.people[1].ExperienceFor(1), "\tindented notes\t");
}

}  // namespace
}  // namespace tandem
