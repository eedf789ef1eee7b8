// `tandem import` as a use case on a real store: SQLite always, PostgreSQL when
// TANDEM_TEST_POSTGRES_URL is set.
#include <gtest/gtest.h>

#include "app/people_import.h"
#include "app/programmes.h"
#include "backend_fixture.h"
#include "core/synthetic_cohort.h"

namespace tandem {
namespace {

class Import : public BackendTest {
 protected:
  // Parses `csv` as `tandem import` does and imports it.
  Status Run(const std::string& csv, InputProblems* problems, ImportSummary* summary,
             std::optional<RowId> programme = std::nullopt) {
    ParticipantsFile file;
    ReadParticipants("people.csv", csv, {}, &file, problems, /*check_managers=*/false);
    if (!problems->ok()) return Status::InvalidArgument("parse");
    ImportOptions options;
    options.programme = programme;
    options.now = 1000;
    return ImportPeople(*store_, "people.csv", file, options, problems, summary);
  }

  StoreCounts Counts() {
    StoreCounts counts;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      counts = tx.Counts();
                      return Status::Ok();
                    })
                    .ok());
    return counts;
  }

  std::optional<PersonRecord> Find(const std::string& external_id) {
    std::optional<PersonRecord> found;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      found = tx.FindPersonByExternalId(external_id);
                      return Status::Ok();
                    })
                    .ok());
    return found;
  }
};

TEST_P(Import, GeneratedCohortThenReimportChangesNothing) {
  const std::string csv = WriteParticipants(GenerateCohort(300, 7));
  InputProblems problems;
  ImportSummary summary;
  ASSERT_TRUE(Run(csv, &problems, &summary).ok())
      << (problems.errors.empty() ? "" : problems.errors[0]);
  EXPECT_EQ(summary.inserted, 300);
  EXPECT_EQ(Counts().people, 300);
  EXPECT_EQ(Counts().audit_entries, 1);

  InputProblems again_problems;
  ImportSummary again;
  ASSERT_TRUE(Run(csv, &again_problems, &again).ok());
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(again.unchanged, 300);
  EXPECT_EQ(Counts().people, 300);
}

TEST_P(Import, UpsertsByIdAndResolvesStoredManagers) {
  InputProblems problems;
  ImportSummary summary;
  ASSERT_TRUE(
      Run("id,name,level,manager_id\nboss,Ada,3,\nemp,Bob,1,boss\n", &problems, &summary).ok());
  // A later file names only one person, whose manager is already stored.
  ASSERT_TRUE(Run("id,name,level,manager_id,languages\nnew,Cy,0,boss,de;en\nemp,Bobby,1,boss,\n",
                  &problems, &summary)
                  .ok());
  EXPECT_EQ(summary.inserted, 1);
  EXPECT_EQ(summary.updated, 1);
  const auto boss = Find("boss");
  const auto emp = Find("emp");
  const auto added = Find("new");
  ASSERT_TRUE(boss && emp && added);
  EXPECT_EQ(emp->name, "Bobby");
  EXPECT_EQ(emp->version, 2);
  EXPECT_EQ(added->manager, boss->id);
  EXPECT_EQ(added->languages, (std::vector<std::string>{"de", "en"}));
}

TEST_P(Import, UnknownManagerIsRefusedWithItsLineAndNothingIsWritten) {
  InputProblems problems;
  ImportSummary summary;
  const Status s = Run("id,level,manager_id\na,1,\nb,1,ghost\n", &problems, &summary);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(problems.errors.size(), 1u);
  EXPECT_EQ(problems.errors[0], "people.csv:3: column 'manager_id': unknown manager 'ghost'");
  EXPECT_EQ(Counts().people, 0);
  EXPECT_EQ(Counts().audit_entries, 0);
}

TEST_P(Import, AnUpdateThatWouldMakeACycleWithStoredPeopleIsRefused) {
  InputProblems problems;
  ImportSummary summary;
  ASSERT_TRUE(Run("id,level,manager_id\ntop,3,\nmid,2,top\nlow,1,mid\n", &problems, &summary).ok());
  // "top" now reports to "low", who reports (stored) to "mid", who reports to "top".
  const Status s = Run("id,level,manager_id\ntop,3,low\n", &problems, &summary);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_FALSE(problems.errors.empty());
  EXPECT_NE(problems.errors[0].find("people.csv:2: column 'manager_id': "), std::string::npos)
      << problems.errors[0];
  EXPECT_FALSE(Find("top")->manager.has_value());
}

TEST_P(Import, BadRowsAreReportedByLineAndColumn) {
  InputProblems problems;
  ImportSummary summary;
  const Status s = Run("id,level\na,1\na,2\nb,high\n", &problems, &summary);
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(problems.errors.size(), 2u);
  EXPECT_NE(problems.errors[0].find("people.csv:3: column 'id'"), std::string::npos);
  EXPECT_NE(problems.errors[1].find("people.csv:4: column 'level'"), std::string::npos);
  EXPECT_EQ(Counts().people, 0);
}

TEST_P(Import, WithAProgrammeStoresCapacitiesAndAnswers) {
  ProgrammeRecord p;
  p.name = "Pilot";
  const Result<RowId> programme = CreateProgramme(*store_, p, "test", 1);
  ASSERT_TRUE(programme.ok()) << programme.status().message();
  InputProblems problems;
  ImportSummary summary;
  ASSERT_TRUE(Run("id,level,mentor_capacity,mentee_capacity,interest:ai,skill:cloud,"
                  "experience:cloud\nx,1,2,0,0,3,Ran our cloud move\ny,3,0,1,2,0,\nz,2,0,0,0,0,\n",
                  &problems, &summary, programme.value())
                  .ok())
      << (problems.errors.empty() ? "" : problems.errors[0]);
  EXPECT_EQ(summary.enrolled, 2);  // z has neither a capacity nor an answer
  EXPECT_EQ(summary.answers, 2);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto x = tx.FindPersonByExternalId("x");
                    const auto e = tx.FindEnrolment(programme.value(), x->id);
                    EXPECT_TRUE(e.has_value());
                    EXPECT_EQ(e->mentor_capacity, 2);
                    EXPECT_EQ(e->state, EnrolmentState::kEnrolled);
                    const auto answers = tx.ListAnswers(e->id);
                    EXPECT_EQ(answers.size(), 1u);
                    EXPECT_EQ(answers.at(0).topic, "cloud");
                    EXPECT_EQ(answers.at(0).skill, 3);
                    EXPECT_EQ(answers.at(0).experience, "Ran our cloud move");
                    return Status::Ok();
                  })
                  .ok());

  // A topic outside the programme's catalogue is an error in the header, nothing is written.
  InputProblems bad_problems;
  ImportSummary bad;
  EXPECT_FALSE(
      Run("id,level,interest:quantum\nq,1,2\n", &bad_problems, &bad, programme.value()).ok());
  ASSERT_EQ(bad_problems.errors.size(), 1u);
  EXPECT_NE(bad_problems.errors[0].find("people.csv:1: column 'interest:quantum'"),
            std::string::npos);
  EXPECT_FALSE(Find("q").has_value());
}

TEST_P(Import, ErasedPersonIsGoneAndAReimportStartsAfresh) {
  InputProblems problems;
  ImportSummary summary;
  ASSERT_TRUE(Run("id,name,email,level\nx,Xena,x@example.com,1\n", &problems, &summary).ok());
  const RowId old_id = Find("x")->id;
  ASSERT_TRUE(ErasePersonByExternalId(*store_, "x", "test", 5).ok());
  EXPECT_FALSE(Find("x").has_value());
  EXPECT_EQ(ErasePersonByExternalId(*store_, "x", "test", 6).code(), StatusCode::kNotFound);
  ASSERT_TRUE(Run("id,name,email,level\nx,Xena,x@example.com,1\n", &problems, &summary).ok());
  EXPECT_EQ(summary.inserted, 1);
  EXPECT_NE(Find("x")->id, old_id);
  EXPECT_EQ(Counts().erased_people, 1);
}

TANDEM_BACKENDS(Import);

}  // namespace
}  // namespace tandem
