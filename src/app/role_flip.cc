#include "app/role_flip.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "app/directory.h"

namespace tandem {
namespace {

constexpr int kBatch = 500;

// Whether the participant routes may be used: a person's own browser session (as in
// app/lifecycle.cc).
Status CheckParticipant(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated("sign in first");
  if (caller.api_token != 0) {
    return Status::PermissionDenied("participants act in a browser session, not with API tokens");
  }
  if (!caller.person) {
    return Status::PermissionDenied("this account belongs to no person, so it cannot take part");
  }
  return Status::Ok();
}

// Every programme in which `person` has an enrolment (any state), by id.
std::vector<ProgrammeRecord> ProgrammesOf(StoreTx& tx, RowId person) {
  std::vector<ProgrammeRecord> out;
  RowId after = 0;
  for (;;) {
    std::vector<ProgrammeRecord> batch = tx.ListProgrammes(after, kBatch);
    for (ProgrammeRecord& p : batch) {
      if (tx.FindEnrolment(p.id, person)) out.push_back(std::move(p));
    }
    if (batch.size() < static_cast<size_t>(kBatch)) return out;
    after = batch.back().id;
  }
}

void AddOnce(std::vector<std::string>* list, const std::string& key) {
  if (std::find(list->begin(), list->end(), key) == list->end()) list->push_back(key);
}

// The offer with its suggestions and the topic keys it may use.
RoleOfferView ViewOf(StoreTx& tx, RowId person) {
  RoleOfferView view;
  if (std::optional<RoleOfferRecord> offer = tx.FindRoleOffer(person)) {
    view.offer = std::move(*offer);
    view.stored = true;
  } else {
    view.offer.person = person;
  }
  // The latest programme first: its names win, and its catalogue's order leads.
  std::vector<ProgrammeRecord> programmes = ProgrammesOf(tx, person);
  std::set<std::string> keys;
  for (auto p = programmes.rbegin(); p != programmes.rend(); ++p) {
    for (const ProgrammeTopic& t : p->topics) {
      if (keys.insert(t.key).second) view.topics.push_back(t);
    }
  }
  for (const TandemRecord& t : tx.ListTandemsOfPerson(person)) {
    if (t.state != TandemState::kActive && t.state != TandemState::kCompleted) continue;
    std::vector<std::string>* into =
        t.mentee == person ? &view.suggested_mentor : &view.suggested_mentee;
    for (const std::string& key : t.topics) {
      if (keys.count(key) != 0) AddOnce(into, key);
    }
  }
  return view;
}

// The keys of one role: known, without duplicates, at most kMaxOfferTopics.
Status CleanTopics(std::string_view field, const std::vector<std::string>& given,
                   const std::set<std::string>& known, std::vector<std::string>* out) {
  out->clear();
  for (size_t i = 0; i < given.size(); ++i) {
    if (known.count(given[i]) == 0) {
      return Status::InvalidArgument(std::string(field) + "[" + std::to_string(i) +
                                     "]: not a topic of your programmes");
    }
    AddOnce(out, given[i]);
  }
  if (out->size() > kMaxOfferTopics) {
    return Status::InvalidArgument(std::string(field) + ": at most " +
                                   std::to_string(kMaxOfferTopics) + " topics");
  }
  return Status::Ok();
}

}  // namespace

Result<RoleOfferView> RoleFlip::GetRoleOffer(const Caller& caller) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  RoleOfferView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    view = ViewOf(tx, *caller.person);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<RoleOfferView> RoleFlip::PutRoleOffer(const Caller& caller, const RoleOfferInput& input,
                                             std::int64_t if_match) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const Millis now = clock_.Now();
  const RowId me = *caller.person;
  RoleOfferView view;
  const Status status = store_.Write([&](StoreTx& tx) {
    view = ViewOf(tx, me);
    std::set<std::string> known;
    for (const ProgrammeTopic& t : view.topics) known.insert(t.key);
    RoleOfferRecord offer = view.offer;
    if (Status s = CleanTopics("mentor_topics", input.mentor_topics, known, &offer.mentor_topics);
        !s.ok()) {
      return s;
    }
    if (Status s = CleanTopics("mentee_topics", input.mentee_topics, known, &offer.mentee_topics);
        !s.ok()) {
      return s;
    }
    if (if_match != kAnyVersion && offer.version != if_match) {
      return Status::FailedPrecondition("the role offer changed since it was read (version " +
                                        std::to_string(offer.version) + ")");
    }
    offer.updated_at = now;
    // "*" stores over the current version, even one a concurrent save wrote after ViewOf.
    const bool any = if_match == kAnyVersion;
    if (any) offer.version = kAnyRoleOfferVersion;
    if (!tx.PutRoleOffer(offer)) {
      return Status::FailedPrecondition("the role offer changed since it was read");
    }
    if (any) {
      const std::optional<RoleOfferRecord> stored = tx.FindRoleOffer(me);
      offer.version = stored ? stored->version - 1 : 1;
    }
    // Topic keys are no personal data, but the log needs no more than the counts.
    tx.AppendAudit({0, now, caller.Actor(), "role_offer.update", "person", me,
                    "mentor_topics=" + std::to_string(offer.mentor_topics.size()) +
                        " mentee_topics=" + std::to_string(offer.mentee_topics.size())});
    offer.version += 1;
    view.offer = std::move(offer);
    view.stored = true;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

std::optional<PreviousEnrolment> FindPreviousEnrolment(StoreTx& tx, RowId person,
                                                       const ProgrammeRecord& programme) {
  std::optional<PreviousEnrolment> out;
  std::optional<Millis> latest;
  std::vector<AnswerRecord> answers;
  for (const ProgrammeRecord& p : ProgrammesOf(tx, person)) {
    if (p.id == programme.id) continue;
    const std::optional<EnrolmentRecord> e = tx.FindEnrolment(p.id, person);
    if (!e || !e->enrolled_at || (latest && *e->enrolled_at < *latest)) continue;
    std::vector<AnswerRecord> listed = tx.ListAnswers(e->id);
    if (listed.empty()) continue;
    latest = e->enrolled_at;
    answers = std::move(listed);
    out = PreviousEnrolment{
        p.id, p.name, e->mentor_capacity, e->mentee_capacity, e->languages, e->availability, {}};
  }
  if (!out) return out;
  std::map<std::string, AnswerRecord> by_topic;
  for (const ProgrammeTopic& t : programme.topics) by_topic[t.key] = {t.key, 0, 0, ""};
  std::set<std::string> answered;
  for (AnswerRecord& a : answers) {
    if (by_topic.count(a.topic) == 0) continue;
    answered.insert(a.topic);
    by_topic[a.topic] = std::move(a);
  }
  // An offer names topics the person now wants to teach or learn: they count even where the
  // earlier programme had no such topic.
  if (const std::optional<RoleOfferRecord> offer = tx.FindRoleOffer(person)) {
    for (const std::string& key : offer->mentor_topics) {
      const auto a = by_topic.find(key);
      if (a == by_topic.end()) continue;
      a->second.skill = std::max(a->second.skill, 2);
      out->mentor_capacity = std::max(out->mentor_capacity, 1);
      answered.insert(key);
    }
    for (const std::string& key : offer->mentee_topics) {
      const auto a = by_topic.find(key);
      if (a == by_topic.end()) continue;
      a->second.interest = std::max(a->second.interest, 2);
      out->mentee_capacity = std::max(out->mentee_capacity, 1);
      answered.insert(key);
    }
  }
  for (auto& [key, answer] : by_topic) {
    if (answered.count(key) != 0) out->answers.push_back(std::move(answer));
  }
  return out;
}

}  // namespace tandem
