// The role flip (issue 7; docs/programme.md): from their profile a participant offers to mentor
// in the next cohort on topics where they were a mentee, and the reverse. The programme team
// invites by offer (InviteRequest::offers), and the questionnaire of the next programme starts
// from the person's last answers with the offer applied (PreviousEnrolment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

inline constexpr size_t kMaxOfferTopics = 50;  // per role

// A person's offer as they see it. Without a stored offer: the empty offer of version 1 and
// `stored` false.
struct RoleOfferView {
  RoleOfferRecord offer;
  bool stored = false;
  // Topics of the person's earlier tandems (active or completed) in which they were the mentee
  // (what they could now teach) and in which they were the mentor.
  std::vector<std::string> suggested_mentor;
  std::vector<std::string> suggested_mentee;
  // Every topic key of the programmes the person is or was enrolled in, with the names of the
  // latest programme that has it: the keys an offer may use.
  std::vector<ProgrammeTopic> topics;
};

struct RoleOfferInput {
  std::vector<std::string> mentor_topics;
  std::vector<std::string> mentee_topics;
};

// The start of a questionnaire: the person's answers in their most recent other programme,
// restricted to this programme's topics, with their role offer applied.
struct PreviousEnrolment {
  RowId programme = 0;
  std::string programme_name;
  int mentor_capacity = 0;
  int mentee_capacity = 0;
  std::vector<std::string> languages;
  std::string availability;
  std::vector<AnswerRecord> answers;  // by topic key
};

class RoleFlip {
 public:
  // `store` and `clock` must outlive this object. Thread-safe.
  RoleFlip(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The caller's own offer; participants only (a person's browser session).
  Result<RoleOfferView> GetRoleOffer(const Caller& caller);
  // Replaces the caller's offer. Keys must be among RoleOfferView::topics (InvalidArgument
  // naming `mentor_topics[i]`); duplicates are dropped; at most kMaxOfferTopics per role.
  // `if_match`: the version the caller last saw, or kAnyVersion; FailedPrecondition if stale.
  Result<RoleOfferView> PutRoleOffer(const Caller& caller, const RoleOfferInput& input,
                                     std::int64_t if_match);

 private:
  Store& store_;
  const Clock& clock_;
};

// Inside a transaction: the questionnaire's start for `person` in `programme`, from their most
// recent (by enrolled_at) enrolment with answers in another programme; nullopt when there is
// none. An offered mentor topic gets skill >= 2 and mentor_capacity >= 1; an offered mentee
// topic interest >= 2 and mentee_capacity >= 1 (only topics of `programme`).
std::optional<PreviousEnrolment> FindPreviousEnrolment(StoreTx& tx, RowId person,
                                                       const ProgrammeRecord& programme);

}  // namespace tandem
